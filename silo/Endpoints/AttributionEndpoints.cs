using OpenLedger.Attribution;
using OpenLedger.Errors;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// <c>GET /v1/attributions/{id}</c>: the attribution of one served inference (its id is the <c>id</c> of the completion,
/// or its <c>X-OpenLedger-Inference</c> header), with the agent-key check and error shape of the OpenAI-compatible API.
/// </summary>
public static class AttributionEndpoints
{
    private const string InferencePrefix = "inf-";
    private const int LongestId = 128;

    /// <summary>Maps the route.</summary>
    public static WebApplication MapAttributions(this WebApplication app)
    {
        app.MapGet("/v1/attributions/{id}", async (string id, HttpContext http, AgentCredentials agents, IGrainFactory grains) =>
        {
            if ((await agents.AdmitReadAsync(http)).Refusal is { } refusal)
            {
                return refusal.ToResult();
            }
            // Ids the grid never mints are answered without activating a grain for them.
            if (!id.StartsWith(InferencePrefix, StringComparison.Ordinal) || id.Length > LongestId)
            {
                return OpenAiError.From(new UnknownInferenceException(id))!.ToResult();
            }
            try
            {
                return Results.Json(AttributionJson.ToNode(await grains.GetGrain<IAttributionGrain>(id).Get()));
            }
            catch (UnknownInferenceException ex)
            {
                return OpenAiError.From(ex)!.ToResult();
            }
        });
        return app;
    }
}
