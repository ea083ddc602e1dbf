using System.Numerics;
using Nethereum.Web3.Accounts;
using OpenLedger.Client.Chain;

namespace OpenLedger.Testing;

/// <summary>
/// The economy's contracts deployed on a local chain as `./openledger up` deploys them (the deployer's treasury holds
/// the supply, account 1 settles), the treasury that funds agents, and the silo settings that switch the economy on.
/// Shared by the agent stack and the fault grid.
/// </summary>
public sealed class LocalEconomy
{
    private LocalEconomy(string rpcUrl, ContractArtifacts artifacts, EconomyContracts contracts)
    {
        RpcUrl = rpcUrl;
        Artifacts = artifacts;
        Contracts = contracts;
    }

    /// <summary>The chain's JSON-RPC endpoint.</summary>
    public string RpcUrl { get; }

    /// <summary>The compiled artifacts.</summary>
    public ContractArtifacts Artifacts { get; }

    /// <summary>The deployed contracts.</summary>
    public EconomyContracts Contracts { get; }

    /// <summary>The treasury (deployer), which funds agents.</summary>
    public Account Treasury { get; } = new(DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex), Ganache.ChainId);

    /// <summary>Deploys the contracts compiled into <paramref name="artifactsFolder"/> to the chain at <paramref name="rpcUrl"/>.</summary>
    public static async Task<LocalEconomy> DeployAsync(string rpcUrl, string artifactsFolder)
    {
        var deployed = await EconomyDeployment.DeployAsync(rpcUrl, DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex), Ganache.ChainId,
            artifactsFolder, EconomySettings.Local(DevelopmentMnemonic.Address(DevelopmentMnemonic.SettlerIndex)));
        return new LocalEconomy(rpcUrl, ContractArtifacts.Load(artifactsFolder), deployed.Contracts);
    }

    /// <summary>
    /// The silo settings (<c>--Section:Key=value</c>) that switch the economy on against these contracts; the settlement
    /// key is given in plain (tests only) unless <paramref name="settlerKey"/> names its keystore settings.
    /// </summary>
    public IReadOnlyList<string> SiloSettings(string challenger, IReadOnlyList<string>? settlerKey = null) =>
    [
        $"--OpenLedger:Economy:RpcUrl={RpcUrl}", $"--OpenLedger:Economy:ChainId={Ganache.ChainId}",
        .. settlerKey ?? [$"--OpenLedger:Economy:SettlerKey={DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.SettlerIndex)}"],
        $"--OpenLedger:Economy:FeeVault={Contracts.FeeVault}", $"--OpenLedger:Economy:Distributor={Contracts.Distributor}",
        $"--OpenLedger:Economy:Registry={Contracts.Registry}", $"--OpenLedger:Economy:FeeSplit={Contracts.FeeSplit}",
        $"--OpenLedger:Economy:Treasury={Contracts.Treasury}", $"--OpenLedger:Economy:Staking={Contracts.Staking}",
        "--OpenLedger:Economy:Confirmations=0", "--OpenLedger:Economy:LedgerShards=4",
        $"--OpenLedger:Agents:Challenger={challenger}",
    ];

    /// <summary>Development account <paramref name="index"/>, funded by the treasury with <paramref name="stake"/> staked and <paramref name="deposit"/> in the fee vault.</summary>
    public async Task<Account> FundAgentAsync(int index, BigInteger stake, BigInteger deposit)
    {
        var account = new Account(DevelopmentMnemonic.PrivateKey(index), Ganache.ChainId);
        if (stake + deposit > 0)
        {
            await SendAsync(Treasury, "OpenToken", Contracts.Token, "transfer", account.Address, stake + deposit);
        }
        if (stake > 0)
        {
            await SendAsync(account, "OpenToken", Contracts.Token, "approve", Contracts.Staking, stake);
            await SendAsync(account, "AgentStaking", Contracts.Staking, "stake", stake);
        }
        if (deposit > 0)
        {
            await SendAsync(account, "OpenToken", Contracts.Token, "approve", Contracts.FeeVault, deposit);
            await SendAsync(account, "FeeVault", Contracts.FeeVault, "deposit", deposit);
        }
        return account;
    }

    /// <summary>Calls a view function.</summary>
    public Task<T> CallAsync<T>(string contract, string address, string function, params object[] arguments) =>
        ChainCalls.CallAsync<T>(RpcUrl, Artifacts, contract, address, function, arguments);

    /// <summary>Sends a transaction signed by <paramref name="from"/> and asserts it succeeded.</summary>
    public Task SendAsync(Account from, string contract, string address, string function, params object[] arguments) =>
        ChainCalls.SendAsync(RpcUrl, Artifacts, from, contract, address, function, arguments);
}
