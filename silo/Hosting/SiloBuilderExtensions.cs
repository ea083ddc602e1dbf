using Orleans.Configuration;
using Azure.Data.Tables;
using OpenLedger.Grains.Hosting;
using OpenLedger.Grains.Storage;
using StackExchange.Redis;

namespace OpenLedger.Silo.Hosting;

/// <summary>The grid's Orleans wiring, shared by the silo host and the cluster tests.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Grain state and reminders in Azure Table storage, plus the ledger and blob stores the grains use.</summary>
    public static ISiloBuilder AddOpenLedgerStorage(this ISiloBuilder silo, string storageConnectionString)
    {
        silo.AddAzureTableGrainStorage(StorageNames.GrainState, options =>
            options.TableServiceClient = new TableServiceClient(storageConnectionString));
        // Reminders reactivate training jobs after a restart so they resume from their last checkpoint.
        silo.UseAzureTableReminderService(options =>
            options.TableServiceClient = new TableServiceClient(storageConnectionString));
        silo.Services.AddOpenLedgerGrainServices(storageConnectionString);
        return silo;
    }

    /// <summary>Serving engines, the Redis inventory and adapter cache at <paramref name="redisConnectionString"/>, and adapter placement.</summary>
    public static ISiloBuilder AddOpenLedgerServing(this ISiloBuilder silo, string redisConnectionString)
    {
        silo.Services.AddOpenLedgerServing(redisConnectionString);
        return silo;
    }

    /// <summary>Cluster identity, endpoints and membership from <paramref name="options"/>.</summary>
    public static ISiloBuilder AddOpenLedgerClustering(this ISiloBuilder silo, GridSiloOptions options)
    {
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        switch (options.Clustering)
        {
            case ClusteringKind.Localhost:
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                return silo;
            case ClusteringKind.Redis:
                silo.UseRedisClustering(redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(options.RedisConnectionString!));
                break;
            default:
                silo.UseAzureStorageClustering(table =>
                    table.TableServiceClient = new TableServiceClient(options.StorageConnectionString));
                break;
        }
        silo.ConfigureEndpoints(options.AdvertisedIp, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
        return silo;
    }
}
