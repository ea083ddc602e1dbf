using OpenLedger.Silo.Hosting;
using Prometheus;

namespace OpenLedger.Silo.Endpoints;

/// <summary>The silo's HTTP surface.</summary>
public static class EndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps /health, /metrics (Prometheus text format), the OpenAI-compatible API and its attribution records, and the
    /// operators' Orleans dashboard when it is enabled.
    /// </summary>
    public static WebApplication MapOpenLedgerEndpoints(this WebApplication app)
    {
        app.UseRequestErrors();
        app.MapHealthChecks("/health");
        // Resolving the exporter starts it before the first request can be counted.
        app.Services.GetRequiredService<Hosting.GridMeterExporter>();
        app.MapMetrics("/metrics");
        app.MapOpenAi();
        app.MapAttributions();
        app.MapAgents();
        app.MapEarnings();
        app.MapOpenApi();
        app.MapGrid();
        app.MapInclusions();
        app.MapFineTuning();
        app.MapWebDashboard();
        app.MapOpenLedgerDashboard();
        app.MapUnknownRoutes();
        app.MapGet("/", () => Results.Text("OpenLedger Grid silo. See /health, /metrics and the OpenAI-compatible API under /v1 (attributions at /v1/attributions/{id}).\n"));
        return app;
    }
}
