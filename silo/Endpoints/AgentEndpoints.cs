using System.Text.Json;
using System.Text.Json.Serialization;
using OpenLedger.Agents;
using OpenLedger.Datanets;
using OpenLedger.Errors;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// Agents' own routes. <c>POST /v1/agents/challenge</c> and <c>POST /v1/agents/keys</c> issue a key to whoever signs
/// a fresh challenge for a staked address (no key needed to ask); <c>GET /v1/agent</c> shows the calling agent's stake,
/// keys, limits, spending and evidence (<c>?refresh=true</c> reads the stake again); <c>DELETE /v1/agent/keys/{id}</c>
/// revokes a key at once. Bodies and answers use snake_case, as the OpenAI-compatible routes do.
/// </summary>
public static class AgentEndpoints
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Maps the routes.</summary>
    public static WebApplication MapAgents(this WebApplication app)
    {
        app.MapPost("/v1/agents/challenge", async (HttpContext http, IGrainFactory grains) =>
        {
            var (body, invalid) = await ReadAsync<ChallengeBody>(http);
            if (body is null)
            {
                return invalid!.ToResult();
            }
            var agent = EthereumAddress.TryNormalize(body.Address);
            return agent is null
                ? OpenAiError.Invalid($"'{body.Address}' is not an Ethereum address; send 0x followed by 40 hex digits.", "address", "invalid_address").ToResult()
                : Results.Json(await grains.GetGrain<IAgentGrain>(agent).Challenge() is var c ? new { c.Address, Challenge = c.Text, c.ExpiresAt } : null, _json);
        });
        app.MapPost("/v1/agents/keys", async (HttpContext http, IGrainFactory grains) =>
        {
            var (body, invalid) = await ReadAsync<KeyBody>(http);
            if (body is null)
            {
                return invalid!.ToResult();
            }
            var agent = EthereumAddress.TryNormalize(body.Address);
            if (agent is null || string.IsNullOrEmpty(body.Challenge) || string.IsNullOrEmpty(body.Signature))
            {
                return OpenAiError.Invalid("Send address (0x and 40 hex digits), the challenge text exactly as issued, and its signature.", agent is null ? "address" : "signature",
                    "invalid_value").ToResult();
            }
            return await GuardedAsync(async () =>
                Results.Json(await grains.GetGrain<IAgentGrain>(agent).Register(body.Challenge, body.Signature, body.Label), _json, statusCode: StatusCodes.Status201Created));
        });
        app.MapGet("/v1/agent", async (HttpContext http, AgentCredentials agents, IGrainFactory grains, bool? refresh) =>
        {
            var pass = await agents.AdmitAccountAsync(http);
            return pass switch
            {
                { Refusal: { } refusal } => refusal.ToResult(),
                { Agent: null } => NotAnAgent(),
                { Agent: { } agent } => await GuardedAsync(async () => Results.Json(await grains.GetGrain<IAgentGrain>(agent).Status(refresh ?? false), _json)),
            };
        });
        app.MapDelete("/v1/agent/keys/{keyId}", async (string keyId, HttpContext http, AgentCredentials agents, IGrainFactory grains) =>
        {
            var pass = await agents.AdmitAccountAsync(http);
            return pass switch
            {
                { Refusal: { } refusal } => refusal.ToResult(),
                { Agent: null } => NotAnAgent(),
                { Agent: { } agent } => await GuardedAsync(async () =>
                {
                    await grains.GetGrain<IAgentGrain>(agent).Revoke(keyId);
                    return Results.NoContent();
                }),
            };
        });
        return app;
    }

    // A credential of the wrong role: 403, as agents get on operator routes.
    private static IResult NotAnAgent() =>
        new OpenAiError(StatusCodes.Status403Forbidden, "This is an operator key, not an agent's: it has no stake, limits or keys of its own. Use the agent's key.",
            "permission_error", null, "not_an_agent").ToResult();

    private static async Task<IResult> GuardedAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (OpenLedgerException ex) when (OpenAiError.From(ex) is { } error)
        {
            return error.ToResult();
        }
    }

    private static async Task<(T? Body, OpenAiError? Error)> ReadAsync<T>(HttpContext http) where T : class
    {
        try
        {
            using var document = await JsonBody.ParseAsync(http.Request);
            var body = document.Deserialize<T>(_json);
            return body is null ? (null, OpenAiError.Invalid("The request body must be a JSON object.", null, "invalid_json")) : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, OpenAiError.Invalid($"The request body is not valid JSON ({ex.Message}).", null, "invalid_json"));
        }
    }

    private sealed record ChallengeBody(string? Address);

    private sealed record KeyBody(string? Address, string? Challenge, string? Signature, string? Label);
}
