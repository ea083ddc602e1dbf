using OpenLedger.Cluster;

namespace OpenLedger.Client.Cluster;

/// <summary>One silo as the cluster's membership table and manifest describe it.</summary>
/// <param name="Address">The silo's address (ip:port@generation), unique across restarts.</param>
/// <param name="Name">The silo's name.</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="Status">Its membership status: Active, Joining, ShuttingDown, Stopping or Dead.</param>
/// <param name="GatewayPort">Where clients connect to it, or 0 when it is not a gateway.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="LastAliveAt">When it last declared itself alive (UTC).</param>
/// <param name="Roles">The roles whose grains it hosts; empty for dead silos, and for a moment after a silo joins, until the client has its manifest.</param>
public sealed record SiloMember(
    string Address, string Name, string Host, string Status, int GatewayPort, DateTime StartedAt, DateTime LastAliveAt, IReadOnlyList<GridRole> Roles)
{
    /// <summary>Whether the silo is serving now.</summary>
    public bool IsActive => Status == "Active";
}
