using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenLedger.Silo.Hosting;
using Prometheus;

namespace OpenLedger.Silo.Endpoints;

/// <summary>The silo's HTTP surface.</summary>
public static class EndpointRouteBuilderExtensions
{
    private static readonly string[] _reads = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>
    /// Maps /health (ready: this silo is an active cluster member), /health/live (the process answers), /metrics (Prometheus text format), the OpenAI-compatible API and its attribution records, and the
    /// operators' Orleans dashboard when it is enabled.
    /// </summary>
    public static WebApplication MapOpenLedgerEndpoints(this WebApplication app)
    {
        app.UseRequestErrors();
        // Reads only: GET and HEAD, so no route answers a state-changing method without a key check.
        app.MapHealthChecks("/health").WithMetadata(new HttpMethodMetadata(_reads));
        // Liveness runs no checks: a silo still joining or leaving its cluster is alive, and restarting it would not help.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(new HttpMethodMetadata(_reads));
        // Resolving the exporter starts it before the first request can be counted.
        app.Services.GetRequiredService<Hosting.GridMeterExporter>();
        app.MapMetrics("/metrics").WithMetadata(new HttpMethodMetadata(_reads)).RequireOperatorKeyWhen(app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.RequireOperatorKey);
        app.MapOpenAi();
        app.MapAttributions();
        app.MapAgents();
        app.MapEarnings();
        app.MapOpenApi();
        app.MapGrid();
        app.MapInclusions();
        app.MapFineTuning();
        app.MapWebDashboard();
        app.MapRouteTable();
        app.MapOpenLedgerDashboard();
        app.MapUnknownRoutes();
        app.MapGet("/", () => Results.Text("OpenLedger Grid silo. See /health, /metrics and the OpenAI-compatible API under /v1 (attributions at /v1/attributions/{id}).\n"));
        return app;
    }
}
