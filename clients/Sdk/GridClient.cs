using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenLedger.Client.Cluster;
using Orleans.Configuration;
using StackExchange.Redis;

namespace OpenLedger.Client;

/// <summary>A connection to the grid. Dispose it to leave the cluster cleanly.</summary>
public sealed class GridClient : IAsyncDisposable
{
    private readonly IHost? _host;

    private GridClient(IHost? host, IClusterClient cluster)
    {
        _host = host;
        Cluster = cluster;
        Datanets = new DatanetsClient(cluster);
        Models = new ModelsClient(cluster);
        Adapters = new AdaptersClient(cluster);
        Inference = new InferenceClient(cluster);
        Attribution = new AttributionClient(cluster);
        Economy = new EconomyClient(cluster);
        Earnings = new EarningsClient(cluster);
        Membership = new MembershipClient(cluster);
    }

    /// <summary>The underlying Orleans client, for grains the SDK does not wrap yet.</summary>
    public IClusterClient Cluster { get; }

    /// <summary>Datanets: create, contribute, curate, snapshot, export.</summary>
    public DatanetsClient Datanets { get; }

    /// <summary>Base models, training jobs and published models.</summary>
    public ModelsClient Models { get; }

    /// <summary>LoRA adapters served on base models: deploy, list, pin, evict, undeploy.</summary>
    public AdaptersClient Adapters { get; }

    /// <summary>Generation by a base model or a deployed adapter, streamed or whole.</summary>
    public InferenceClient Inference { get; }

    /// <summary>Proof of Attribution: which contributors' data shaped each served inference, and the evidence.</summary>
    public AttributionClient Attribution { get; }

    /// <summary>Epochs, earnings, claims and on-chain checks of attribution records.</summary>
    public EconomyClient Economy { get; }

    /// <summary>The earnings read model: earnings by account, Datanet, model, adapter, agent and epoch, and the accruals table.</summary>
    public EarningsClient Earnings { get; }

    /// <summary>The silos of the grid: their status, gateways and roles.</summary>
    public MembershipClient Membership { get; }

    /// <summary>Wraps a client that is already connected (used inside silos and by tests).</summary>
    public static GridClient Over(IClusterClient cluster) => new(null, cluster);

    /// <summary>Connects to the cluster's gateways.</summary>
    public static async Task<GridClient> ConnectAsync(GridClientOptions options, CancellationToken cancellation = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
            switch (options.Clustering.ToLowerInvariant())
            {
                case "localhost":
                    client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
                    break;
                case "redis":
                    client.UseRedisClustering(redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(
                        options.RedisConnectionString ?? throw new InvalidOperationException("Set OPENLEDGER_REDIS for Redis clustering.")));
                    break;
                case "azuretable":
                    client.UseAzureStorageClustering(table => table.TableServiceClient = new TableServiceClient(
                        options.StorageConnectionString ?? throw new InvalidOperationException(
                            "Set OPENLEDGER_STORAGE to the cluster's storage connection string, or run `./openledger up`.")));
                    break;
                default:
                    throw new InvalidOperationException($"Unknown clustering '{options.Clustering}'; use AzureTable, Redis or Localhost.");
            }
        });
        var host = builder.Build();
        await host.StartAsync(cancellation);
        return new GridClient(host, host.Services.GetRequiredService<IClusterClient>());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}
