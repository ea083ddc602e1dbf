using Prometheus;

namespace OpenLedger.Silo.Endpoints;

/// <summary>The silo's HTTP surface.</summary>
public static class EndpointRouteBuilderExtensions
{
    /// <summary>Maps /health and /metrics (Prometheus text format).</summary>
    public static WebApplication MapOpenLedgerEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        // Resolving the exporter starts it before the first request can be counted.
        app.Services.GetRequiredService<Hosting.GridMeterExporter>();
        app.MapMetrics("/metrics");
        app.MapGet("/", () => Results.Text("OpenLedger Grid silo. See /health and /metrics.\n"));
        return app;
    }
}
