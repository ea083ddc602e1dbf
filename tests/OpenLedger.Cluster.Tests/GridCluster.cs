using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenLedger.Client;
using OpenLedger.Grains.Datanets;
using OpenLedger.Grains.Serving;
using OpenLedger.Silo.Hosting;
using OpenLedger.Testing;
using Orleans.TestingHost;

namespace OpenLedger.Cluster.Tests;

/// <summary>Azurite plus a two-silo test cluster wired exactly as the silo host wires itself.</summary>
public sealed class GridCluster : IAsyncLifetime
{
    /// <summary>The payload limit the tests' silos enforce.</summary>
    public const long MaxPayloadBytes = 64 * 1024;

    private const string StorageKey = "OpenLedgerTests:Storage";
    private const string RedisKey = "OpenLedgerTests:Redis";

    /// <summary>The storage emulator shared by every cluster this fixture starts.</summary>
    public Azurite Storage { get; private set; } = null!;

    /// <summary>The Redis server holding the serving inventory and adapter cache.</summary>
    public Redis Redis { get; private set; } = null!;

    /// <summary>The running cluster.</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The SDK over the cluster's client.</summary>
    public GridClient Client => GridClient.Over(Cluster.Client);

    /// <summary>A fixed service id, so a second cluster over the same storage sees the first one's state.</summary>
    public string ServiceId { get; } = "tests-" + Guid.NewGuid().ToString("N")[..8];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Storage = await Azurite.StartAsync();
        Redis = await Redis.StartAsync();
        Cluster = await StartClusterAsync();
    }

    /// <summary>Starts another cluster over the same storage and service id.</summary>
    public async Task<TestCluster> StartClusterAsync(short silos = 2)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = ServiceId;
        builder.Properties[StorageKey] = Storage.ConnectionString;
        builder.Properties[RedisKey] = Redis.ConnectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Stops every silo and starts a fresh cluster: nothing survives but what storage holds.</summary>
    public async Task RestartAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Cluster = await StartClusterAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
        if (Storage is not null)
        {
            await Storage.DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddOpenLedgerStorage(silo.Configuration[StorageKey]!);
            silo.AddOpenLedgerServing(silo.Configuration[RedisKey]!);
            // Small engines, so tests exercise eviction without big adapters.
            silo.Services.Configure<ServingHostOptions>(o => (o.MaxBatch, o.AdapterPoolBytes) = (8, 4L << 20));
            silo.Services.Configure<DatanetOptions>(o => o.MaxPayloadBytes = MaxPayloadBytes);
        }
    }
}

/// <summary>One cluster for all tests in the collection.</summary>
[CollectionDefinition(Name)]
public sealed class GridClusterCollection : ICollectionFixture<GridCluster>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "grid cluster";
}
