namespace OpenLedger.Grains.Economy;

/// <summary>
/// Where the OPEN economy lives (section OpenLedger:Economy): the chain, the contracts and the settlement key. With
/// no <see cref="RpcUrl"/> the grid charges nothing and settles nothing. `./openledger up` fills these in from the
/// local deployment's chain.json.
/// </summary>
public sealed class EconomyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:Economy";

    /// <summary>The chain's JSON-RPC endpoint; empty turns the economy off.</summary>
    public string? RpcUrl { get; set; }

    /// <summary>The chain id transactions are signed for.</summary>
    public long ChainId { get; set; }

    /// <summary>
    /// The settlement account's private key (hex), in plain text: for tests on a development chain. Production silos use
    /// <see cref="SettlerKeyFile"/>, which is encrypted.
    /// </summary>
    public string? SettlerKey { get; set; }

    /// <summary>
    /// The settlement account's key as an encrypted keystore file (Web3 Secret Storage v3, as
    /// <c>openledger chain deploy --settler-key-out</c> writes), opened with <see cref="SettlerKeyPasswordFile"/> or
    /// <see cref="SettlerKeyPassword"/>. A plain-hex file is refused.
    /// </summary>
    public string? SettlerKeyFile { get; set; }

    /// <summary>A file holding the password of <see cref="SettlerKeyFile"/> (one line), readable by the silo only.</summary>
    public string? SettlerKeyPasswordFile { get; set; }

    /// <summary>The password of <see cref="SettlerKeyFile"/>. Prefer <see cref="SettlerKeyPasswordFile"/>.</summary>
    public string? SettlerKeyPassword { get; set; }

    /// <summary>The FeeVault contract.</summary>
    public string? FeeVault { get; set; }

    /// <summary>The AttributionDistributor contract.</summary>
    public string? Distributor { get; set; }

    /// <summary>The Registry contract.</summary>
    public string? Registry { get; set; }

    /// <summary>The AgentStaking contract (agents' stakes and slashing). Without it agents cannot get keys.</summary>
    public string? Staking { get; set; }

    /// <summary>The FeeSplit contract (the governed basis points).</summary>
    public string? FeeSplit { get; set; }

    /// <summary>Where the protocol's part of each fee accrues.</summary>
    public string? Treasury { get; set; }

    /// <summary>How many ledger shard grains accruals spread over. Fixed for a deployment's life. Default 8.</summary>
    public int LedgerShards { get; set; } = 8;

    /// <summary>Blocks on top of a settlement transaction before it counts as final. Default 3; 0 on an instant-mining local chain.</summary>
    public int Confirmations { get; set; } = 3;

    /// <summary>How long a fee-split read from the chain is reused. Default 1 minute.</summary>
    public TimeSpan FeeSplitCacheTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the earnings read model reads the distributor's new claims.</summary>
    public TimeSpan ClaimPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>True when a chain is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(RpcUrl);

    /// <summary>Why the options cannot be used, or null when they can (always null when the economy is off).</summary>
    public string? Problem()
    {
        if (!Enabled)
        {
            return null;
        }
        var missing = new[] { (nameof(FeeVault), FeeVault), (nameof(Distributor), Distributor), (nameof(Registry), Registry), (nameof(FeeSplit), FeeSplit), (nameof(Treasury), Treasury) }
            .Where(p => string.IsNullOrWhiteSpace(p.Item2)).Select(p => p.Item1).ToList();
        if (missing.Count > 0)
        {
            return $"{Section}: {string.Join(", ", missing)} must be set when RpcUrl is (`./openledger up` sets them from chain.json).";
        }
        if (string.IsNullOrWhiteSpace(SettlerKey) == string.IsNullOrWhiteSpace(SettlerKeyFile))
        {
            return $"{Section}: set SettlerKeyFile (an encrypted keystore, with SettlerKeyPasswordFile) or, for tests, SettlerKey; exactly one of them.";
        }
        if (KeyFileProblem() is { } problem)
        {
            return problem;
        }
        if (ChainId <= 0 || LedgerShards <= 0 || Confirmations < 0)
        {
            return $"{Section}: ChainId and LedgerShards must be positive and Confirmations 0 or more.";
        }
        return null;
    }

    /// <summary>
    /// The settlement key, from <see cref="SettlerKey"/> or decrypted from <see cref="SettlerKeyFile"/>.
    /// </summary>
    /// <exception cref="SettlerKeyNotEncryptedException">The file is not an encrypted keystore.</exception>
    /// <exception cref="SettlerKeyPasswordException">The password does not open it.</exception>
    public string LoadSettlerKey()
    {
        if (!string.IsNullOrWhiteSpace(SettlerKey))
        {
            return SettlerKey.Trim();
        }
        var (password, source) = !string.IsNullOrEmpty(SettlerKeyPasswordFile)
            ? (File.ReadAllText(SettlerKeyPasswordFile).TrimEnd('\r', '\n'), $"{Section}:SettlerKeyPasswordFile '{SettlerKeyPasswordFile}'")
            : (SettlerKeyPassword!, $"{Section}:SettlerKeyPassword");
        return SettlerKeystore.Open(SettlerKeyFile!, password, source);
    }

    // The keystore and exactly one password source must be there; whether they fit is for LoadSettlerKey to say.
    private string? KeyFileProblem()
    {
        if (string.IsNullOrWhiteSpace(SettlerKeyFile))
        {
            return null;
        }
        if (!File.Exists(SettlerKeyFile))
        {
            return $"{Section}:SettlerKeyFile '{SettlerKeyFile}' does not exist.";
        }
        if (string.IsNullOrEmpty(SettlerKeyPasswordFile) == string.IsNullOrEmpty(SettlerKeyPassword))
        {
            return $"{Section}: SettlerKeyFile '{SettlerKeyFile}' is encrypted; give its password in SettlerKeyPasswordFile (or SettlerKeyPassword), exactly one of them.";
        }
        if (!string.IsNullOrEmpty(SettlerKeyPasswordFile) && !File.Exists(SettlerKeyPasswordFile))
        {
            return $"{Section}:SettlerKeyPasswordFile '{SettlerKeyPasswordFile}' does not exist.";
        }
        return null;
    }
}
