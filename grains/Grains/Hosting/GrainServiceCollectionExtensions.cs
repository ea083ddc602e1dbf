using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenLedger.Grains.Datanets;
using OpenLedger.Grains.Models;
using OpenLedger.Grains.Storage;

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
        services.AddSingleton(new TableServiceClient(storageConnectionString));
        services.AddSingleton(new BlobServiceClient(storageConnectionString));
        services.AddSingleton<ContributionLedger>();
        services.AddSingleton<BlobArtifactStore>();
        services.AddSingleton<BaseModelStore>();
        return services;
    }
}
