using System.Numerics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Web3.Accounts;
using OpenLedger.Client;
using OpenLedger.Client.Chain;
using OpenLedger.Grains.Economy;
using OpenLedger.Silo.Hosting;
using OpenLedger.Testing;
using Orleans.TestingHost;

namespace OpenLedger.Cluster.Tests;

/// <summary>
/// A two-silo cluster with the economy switched on: Azurite, Redis, a ganache chain with our contracts compiled and
/// deployed as `./openledger up` deploys them, and agents holding OPEN deposits in the fee vault.
/// </summary>
public sealed class EconomyGrid : IAsyncLifetime
{
    /// <summary>One OPEN in wei.</summary>
    public static readonly BigInteger Open = BigInteger.Pow(10, 18);

    /// <summary>The crash points the silos of this fixture share (the silos run in this process).</summary>
    public static SettlementFaults Faults { get; } = new();

    private readonly string _artifacts = Directory.CreateTempSubdirectory("openledger-economy").FullName;
    private Azurite _storage = null!;
    private Redis _redis = null!;
    private Ganache _chain = null!;

    /// <summary>The deployed contracts.</summary>
    public EconomyContracts Contracts { get; private set; } = null!;

    /// <summary>The compiled artifacts (ABIs).</summary>
    public ContractArtifacts Artifacts { get; private set; } = null!;

    /// <summary>The running cluster.</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The SDK over the cluster.</summary>
    public GridClient Client => GridClient.Over(Cluster.Client);

    /// <summary>Agents (development accounts 2..4) with 1,000 OPEN deposited each.</summary>
    public IReadOnlyList<Account> Agents { get; private set; } = [];

    /// <summary>The JSON-RPC endpoint.</summary>
    public string RpcUrl => _chain.RpcUrl;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var compiled = SolidityBuild.CompileAsync(_artifacts);
        _storage = await Azurite.StartAsync();
        _redis = await Redis.StartAsync();
        _chain = await Ganache.StartAsync();
        await compiled;
        Artifacts = ContractArtifacts.Load(_artifacts);
        var settings = EconomySettings.Local(DevelopmentMnemonic.Address(DevelopmentMnemonic.SettlerIndex));
        Contracts = (await EconomyDeployment.DeployAsync(_chain.RpcUrl, DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex),
            Ganache.ChainId, _artifacts, settings)).Contracts;
        Agents = [.. Enumerable.Range(2, 3).Select(i => new Account(DevelopmentMnemonic.PrivateKey(i), Ganache.ChainId))];
        var treasury = new Account(DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex), Ganache.ChainId);
        foreach (var agent in Agents)
        {
            await SendAsync(treasury, "OpenToken", Contracts.Token, "transfer", agent.Address, 1_000 * Open);
            await SendAsync(agent, "OpenToken", Contracts.Token, "approve", Contracts.FeeVault, 1_000 * Open);
            await SendAsync(agent, "FeeVault", Contracts.FeeVault, "deposit", 1_000 * Open);
        }
        Cluster = await StartClusterAsync();
    }

    /// <summary>Stops every silo and starts a fresh cluster: nothing survives but storage and the chain.</summary>
    public async Task RestartAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Cluster = await StartClusterAsync();
    }

    /// <summary>Calls a view function.</summary>
    public Task<T> CallAsync<T>(string contract, string address, string function, params object[] arguments) =>
        ChainCalls.CallAsync<T>(_chain.RpcUrl, Artifacts, contract, address, function, arguments);

    /// <summary>Sends a transaction signed by <paramref name="from"/> and asserts it succeeded.</summary>
    public Task SendAsync(Account from, string contract, string address, string function, params object[] arguments) =>
        ChainCalls.SendAsync(_chain.RpcUrl, Artifacts, from, contract, address, function, arguments);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
        foreach (var server in new IAsyncDisposable?[] { _chain, _redis, _storage })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
        Directory.Delete(_artifacts, recursive: true);
    }

    private async Task<TestCluster> StartClusterAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.Options.ServiceId = ServiceId;
        builder.Properties["storage"] = _storage.ConnectionString;
        builder.Properties["redis"] = _redis.ConnectionString;
        builder.Properties["rpc"] = _chain.RpcUrl;
        foreach (var (name, address) in new[] { ("vault", Contracts.FeeVault), ("distributor", Contracts.Distributor), ("registry", Contracts.Registry), ("split", Contracts.FeeSplit), ("treasury", Contracts.Treasury), ("staking", Contracts.Staking) })
        {
            builder.Properties[name] = address;
        }
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private string ServiceId { get; } = "economy-" + Guid.NewGuid().ToString("N")[..8];

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var c = silo.Configuration;
            silo.AddOpenLedgerStorage(c["storage"]!);
            silo.AddOpenLedgerServing(c["redis"]!);
            silo.Services.AddSingleton(Faults);
            silo.Services.Configure<EconomyOptions>(o =>
            {
                o.RpcUrl = c["rpc"];
                o.ChainId = Ganache.ChainId;
                o.SettlerKey = DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.SettlerIndex);
                (o.FeeVault, o.Distributor, o.Registry, o.FeeSplit, o.Treasury, o.Staking) = (c["vault"], c["distributor"], c["registry"], c["split"], c["treasury"], c["staking"]);
                o.LedgerShards = 4;
                o.Confirmations = 0;
            });
        }
    }
}

/// <summary>One economy grid for all tests in the collection.</summary>
[CollectionDefinition(Name)]
public sealed class EconomyGridCollection : ICollectionFixture<EconomyGrid>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "economy grid";
}
