using System.CommandLine;
using OpenLedger.Cli.Keys;
using OpenLedger.Client.Chain;

namespace OpenLedger.Cli.Chain;

/// <summary>
/// Who signs a chain transaction: a key of the local keystore (`--key NAME`, as every signing command takes), or on
/// the local chain only an account of its public development mnemonic (`--dev-account N`; account 0 is the treasury
/// that holds the OPEN supply after `up`), which is how the local treasury's OPEN reaches governance.
/// </summary>
public sealed class ChainSigner
{
    /// <summary>--key NAME.</summary>
    public Option<string?> Key { get; } = new("--key") { Description = "The keystore key that signs (see `openledger key`)." };

    /// <summary>--dev-account N.</summary>
    public Option<int?> DevAccount { get; } = new("--dev-account")
    {
        Description = "Sign with account N of the local chain's development mnemonic instead (0 holds the OPEN supply); local chain only.",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Key);
        command.Options.Add(DevAccount);
    }

    /// <summary>The signing private key the command line names.</summary>
    /// <exception cref="CliException">Neither or both given; a development account off the local chain; a keystore error.</exception>
    public string PrivateKey(ParseResult result, EconomyContracts contracts)
    {
        var name = result.GetValue(Key);
        var index = result.GetValue(DevAccount);
        if ((name is null) == (index is null))
        {
            throw new CliException("Say who signs: `--key NAME` (a keystore key) or, on the local chain, `--dev-account N`; not both.", "no_signer");
        }
        if (index is { } n)
        {
            if (contracts.ChainId != ChainEndpoint.LocalChainId)
            {
                throw new CliException($"--dev-account signs with the public development mnemonic, which is for the local chain ({ChainEndpoint.LocalChainId}) only; " +
                    $"this deployment is on chain {contracts.ChainId}. Sign with --key.", "dev_account_not_local");
            }
            if (n < 0)
            {
                throw new CliException($"--dev-account {n}: the account index is 0 or more.");
            }
            return DevelopmentMnemonic.PrivateKey(n);
        }
        return new Keystore().Open(name!).PrivateKeyHex;
    }

    /// <summary>The signer's address, without decrypting a keystore key.</summary>
    /// <exception cref="CliException">As <see cref="PrivateKey"/>.</exception>
    public string Address(ParseResult result, EconomyContracts contracts) =>
        result.GetValue(Key) is { } name && result.GetValue(DevAccount) is null
            ? new Keystore().AddressOf(name)
            : new Nethereum.Signer.EthECKey(PrivateKey(result, contracts)).GetPublicAddress();
}
