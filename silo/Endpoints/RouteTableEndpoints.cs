namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// <c>GET /v1/grid/routes</c>: every HTTP endpoint this silo has mapped, with the methods it answers (null for any),
/// for operators only. It lets a check walk the real route table, so an endpoint added without a key check is found.
/// </summary>
public static class RouteTableEndpoints
{
    /// <summary>Maps the route.</summary>
    public static WebApplication MapRouteTable(this WebApplication app)
    {
        app.MapGet("/v1/grid/routes", (HttpContext http, AgentCredentials agents, EndpointDataSource endpoints) =>
            GridAccess.OperateAsync(http, agents, () => Task.FromResult(GridJson.Write(new
            {
                @object = "list",
                data = endpoints.Endpoints.OfType<RouteEndpoint>().Where(e => e.Metadata.GetMetadata<RequestErrors.UnknownRouteAnswer>() is null)
                    .Select(e => new { pattern = "/" + e.RoutePattern.RawText?.TrimStart('/'), methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods })
                    .OrderBy(r => r.pattern, StringComparer.Ordinal),
            })))).ExcludeFromDescription();
        return app;
    }
}
