using Microsoft.Extensions.DependencyInjection;
using OpenLedger.Cluster;

namespace OpenLedger.Client.Cluster;

/// <summary>Which silos form the grid, their state and the roles they host: what operators watch while scaling.</summary>
public sealed class MembershipClient(IClusterClient cluster)
{
    /// <summary>
    /// Every silo in the membership table, active ones first; with <paramref name="includeDead"/> false, only silos that are
    /// still part of the cluster. Roles come from the cluster manifest: a silo hosts a role when it publishes a grain class
    /// of that role.
    /// </summary>
    public async Task<IReadOnlyList<SiloMember>> ListAsync(bool includeDead = false)
    {
        var entries = await cluster.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var manifest = cluster.ServiceProvider.GetRequiredService<IClusterManifestProvider>().Current;
        return entries
            .Where(e => includeDead || e.Status != SiloStatus.Dead)
            .Select(e => new SiloMember(
                e.SiloAddress.ToParsableString(), e.SiloName, e.HostName, e.Status.ToString(), e.ProxyPort,
                e.StartTime, e.IAmAliveTime,
                // A dead silo hosts nothing, though the client's copy of the manifest may still list it for a moment.
                e.Status != SiloStatus.Dead && manifest.Silos.TryGetValue(e.SiloAddress, out var silo) ? GridRoles.Of(silo) : []))
            .OrderBy(m => m.IsActive ? 0 : 1)
            .ThenBy(m => m.Address, StringComparer.Ordinal)
            .ToList();
    }
}
