using OpenLedger.Cluster;
using OpenLedger.Datanets;
using OpenLedger.Grains.Serving;
using OpenLedger.Models;
using OpenLedger.Serving;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// The cluster as the dashboard shows it: every active silo (from Orleans' membership) with the roles it hosts (from the cluster manifest), what it offers for serving
/// (from the Redis inventory: device, loaded base models, free adapter and host memory, adapters registered), the
/// deployed adapters counted by where their weights are now (as <c>/v1/models</c> lists them), and the directories' sizes.
/// </summary>
public static class GridCluster
{
    /// <summary>Reads the cluster's state.</summary>
    public static async Task<object> ReadAsync(IGrainFactory grains, SiloInventory inventory, ModelRoutes routes, RecentInferences recent, IClusterManifestProvider manifest)
    {
        var hosts = grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var offers = inventory.OffersAsync();
        var served = routes.ListAsync();
        var datanets = grains.GetGrain<IDatanetDirectoryGrain>(0).List();
        var models = grains.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).ListModels();
        var offerBySilo = (await offers).ToDictionary(o => o.Silo, StringComparer.Ordinal);
        var silos = (await hosts).OrderBy(h => h.SiloAddress.ToParsableString(), StringComparer.Ordinal).Select(h =>
        {
            var offer = offerBySilo.GetValueOrDefault(h.SiloAddress.ToParsableString());
            return new
            {
                address = h.SiloAddress.ToParsableString(),
                name = h.SiloName,
                host = h.HostName,
                status = h.Status.ToString().ToLowerInvariant(),
                roles = manifest.Current.Silos.TryGetValue(h.SiloAddress, out var hosted) ? GridRoles.Of(hosted).Select(r => r.ToString().ToLowerInvariant()) : [],
                started_at = h.StartTime,
                device = offer?.Device,
                base_models = offer?.BaseModels ?? [],
                adapters = offer?.Adapters ?? 0,
                free_adapter_bytes = offer?.FreeAdapterBytes,
                free_host_bytes = offer?.FreeHostBytes,
            };
        }).ToList();
        var adapters = (await served).Where(m => m.IsAdapter).ToList();
        var (inferences, tokens) = recent.Rate();
        return new
        {
            @object = "cluster",
            silos,
            devices = silos.Where(s => s.device is not null).GroupBy(s => s.device).Select(g => new { device = g.Key, silos = g.Count() }),
            adapters = new
            {
                deployed = adapters.Count,
                device = adapters.Count(a => a.Residency == AdapterResidency.Device),
                host = adapters.Count(a => a.Residency == AdapterResidency.Host),
                storage = adapters.Count(a => a.Residency == AdapterResidency.Storage),
                pinned = adapters.Count(a => a.Pinned),
            },
            base_models = (await served).Count(m => !m.IsAdapter),
            datanets = (await datanets).Count,
            models = (await models).Count,
            rate = GridEndpoints.InferenceRateJson(inferences, tokens),
        };
    }
}
