using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace OpenLedger.Silo.Hosting;

/// <summary>Healthy while this silo is an active member of its cluster.</summary>
public sealed class SiloHealthCheck(ILocalSiloDetails local, IClusterMembershipService membership) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var self = snapshot.GetSiloStatus(local.SiloAddress);
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        return Task.FromResult(self == SiloStatus.Active
            ? HealthCheckResult.Healthy($"active; {active} active silo(s)")
            : HealthCheckResult.Unhealthy($"this silo is {self}"));
    }
}
