namespace OpenLedger.Silo.Hosting;

/// <summary>Who may read <c>/metrics</c> (section OpenLedger:Metrics).</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:Metrics";

    /// <summary>
    /// Whether <c>/metrics</c> needs an operator key (<c>Authorization: Bearer KEY</c>, which Prometheus sends with its
    /// <c>authorization</c> scrape setting). Default false: the silo listens on loopback, where the scraper runs beside
    /// it, and the metrics carry no ids or amounts per account. Turn it on when the HTTP port is reachable from elsewhere.
    /// </summary>
    public bool RequireOperatorKey { get; set; }
}
