namespace OpenLedger.Silo.Hosting;

/// <summary>The Orleans dashboard for operators (section OpenLedger:Dashboard).</summary>
public sealed class OperatorDashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:Dashboard";

    /// <summary>Where the dashboard is mounted.</summary>
    public const string Path = "/orleans-dashboard";

    /// <summary>
    /// Whether the dashboard is on. Default false: it shows every grain type, method and silo of the cluster, so it is
    /// off unless an operator turns it on, and then it needs an operator key (OpenLedger:Agents:Keys).
    /// </summary>
    public bool Enabled { get; set; }
}
