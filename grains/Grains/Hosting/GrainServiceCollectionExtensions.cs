using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenLedger.Grains.Attribution;
using OpenLedger.Grains.Datanets;
using OpenLedger.Grains.Economy;
using OpenLedger.Grains.Models;
using OpenLedger.Grains.Serving;
using Orleans.Hosting;
using StackExchange.Redis;
using OpenLedger.Grains.Storage;
using OpenLedger.Grains.Training;

namespace OpenLedger.Grains.Hosting;

/// <summary>Registers what the grains need besides Orleans itself.</summary>
public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// Adds the contribution ledger and artifact store on the Azure Storage account at
    /// <paramref name="storageConnectionString"/> (Azurite locally), and the Datanet options.
    /// </summary>
    public static IServiceCollection AddOpenLedgerGrainServices(this IServiceCollection services, string storageConnectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DatanetOptions>();
        // Failed operations are counted per store on the way out of the SDK (see StorageErrorPolicy).
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(StorageErrorPolicy.ForTable(StorageNames.ContributionsTable), HttpPipelinePosition.PerCall);
        services.AddSingleton(new TableServiceClient(storageConnectionString, tableOptions));
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(StorageErrorPolicy.ForBlobs(), HttpPipelinePosition.PerCall);
        services.AddSingleton(new BlobServiceClient(storageConnectionString, blobOptions));
        services.AddSingleton<ContributionLedger>();
        services.AddSingleton<BlobArtifactStore>();
        services.AddSingleton<BaseModelStore>();
        services.AddOptions<AttributionOptions>();
        services.AddSingleton<AttributionArtifacts>();
        services.AddSingleton<InfluenceModels>();
        services.AddSingleton<ICheckpointHookProvider, AttributionIndexHookProvider>();
        services.AddOptions<EconomyOptions>();
        services.AddOptions<Agents.AgentPolicyOptions>();
        services.AddSingleton<EconomyChain>();
        services.AddSingleton<EpochArtifacts>();
        services.TryAddSingleton<SettlementFaults>();
        services.AddSingleton<InferenceBilling>();
        services.AddSingleton<ClaimLogReader>();
        services.AddSingleton<AttributionQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<AttributionQueue>());
        return services;
    }

    /// <summary>
    /// Adds this silo's serving engines, the serving inventory and adapter cache on the Redis server at
    /// <paramref name="redisConnectionString"/>, and placement of adapter grains by that inventory.
    /// </summary>
    public static IServiceCollection AddOpenLedgerServing(this IServiceCollection services, string redisConnectionString)
    {
        services.AddOptions<ServingHostOptions>();
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(Redis(redisConnectionString)));
        services.AddSingleton<SiloServing>();
        services.AddSingleton<ServingAdmission>();
        services.AddSingleton<SiloInventory>();
        services.AddSingleton<AdapterWeightsStore>();
        services.AddHostedService<InventoryPublisher>();
        services.AddPlacementDirector<AdapterPlacement, AdapterPlacementDirector>();
        return services;
    }

    // Never wait on a Redis that is away at start: the cache and inventory are accelerators and retry by themselves.
    private static ConfigurationOptions Redis(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return options;
    }
}
