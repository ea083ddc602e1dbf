using Prometheus;

namespace OpenLedger.Silo.Endpoints;

/// <summary>The silo's HTTP surface.</summary>
public static class EndpointRouteBuilderExtensions
{
    /// <summary>Maps /health, /metrics (Prometheus text format) and the OpenAI-compatible API.</summary>
    public static WebApplication MapOpenLedgerEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        // Resolving the exporter starts it before the first request can be counted.
        app.Services.GetRequiredService<Hosting.GridMeterExporter>();
        app.MapMetrics("/metrics");
        app.MapOpenAi();
        app.MapGet("/", () => Results.Text("OpenLedger Grid silo. See /health, /metrics and the OpenAI-compatible API under /v1.\n"));
        return app;
    }
}
