using System.Text.Json;
using OpenLedger.Agents;
using OpenLedger.Attribution;
using OpenLedger.Errors;
using OpenLedger.Grains.Agents;
using OpenLedger.Grains.Serving;
using OpenLedger.Serving;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// The OpenAI-compatible inference API: <c>/v1/models</c>, <c>/v1/completions</c> and <c>/v1/chat/completions</c>,
/// streaming as server-sent events when asked. <c>model</c> names a deployed adapter or a base model. Every route
/// checks the agent key first; errors come in OpenAI's shape. An adapter's answer is identified by its inference id
/// (<c>inf-…</c>), under which its attribution is recorded: it is the response's <c>id</c> (and the
/// <c>X-OpenLedger-Inference</c> header of a whole answer); a stream's chunks carry it from the moment the grid has named
/// the inference, its last chunk always. With <c>"attribution": "sync"</c> the answer (or the last chunk) also carries
/// the record as <c>openledger_attribution</c>. A base model's answer is recorded too, as not attributable.
/// </summary>
public static class OpenAiEndpoints
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>The response header naming the inference id of a whole answer.</summary>
    public const string InferenceHeader = "X-OpenLedger-Inference";

    /// <summary>Maps the routes.</summary>
    public static WebApplication MapOpenAi(this WebApplication app)
    {
        app.MapGet("/v1/models", async (HttpContext http, AgentCredentials agents, ModelRoutes routes) =>
            (await agents.AdmitReadAsync(http)).Refusal is { } refusal
                ? refusal.ToResult()
                : Results.Json(new { @object = "list", data = (await routes.ListAsync()).Select(ModelJson) }));
        app.MapPost("/v1/completions", (HttpContext http, AgentCredentials agents, AgentDoor door, ServingAdmission admission, RecentInferences recent, ILoggerFactory logs) =>
            CompleteAsync(http, agents, door, admission, recent, logs, chat: false));
        app.MapPost("/v1/chat/completions", (HttpContext http, AgentCredentials agents, AgentDoor door, ServingAdmission admission, RecentInferences recent, ILoggerFactory logs) =>
            CompleteAsync(http, agents, door, admission, recent, logs, chat: true));
        return app;
    }

    private static async Task CompleteAsync(HttpContext http, AgentCredentials agents, AgentDoor door, ServingAdmission admission, RecentInferences recent,
        ILoggerFactory logs, bool chat)
    {
        // No key, or one that cannot be this grid's, is refused before the body is even read.
        if (agents.RefuseUnrecognised(http) is { } unrecognised)
        {
            await unrecognised.ToResult().ExecuteAsync(http);
            return;
        }
        // The body is read first (its hash is part of a signed request, its size of the token estimate), then the
        // agent's grain checks key, signature, stake and limits in one turn, before any work.
        AgentCredentials.LimitBody(http);
        http.Request.EnableBuffering(AgentCredentials.MaxSignedBody);
        var (body, invalid) = await CompletionBody.ReadAsync(http.Request, chat);
        if (body is null)
        {
            await invalid!.ToResult().ExecuteAsync(http);
            return;
        }
        http.Request.Body.Position = 0;
        // The silo's own bound comes before the agent's grain: a request refused for it touches no agent state.
        ServingAdmission.Place place;
        try
        {
            place = admission.Enter();
        }
        catch (ServingOverloadedException overloaded)
        {
            await OpenAiError.From(overloaded)!.ToResult().ExecuteAsync(http);
            return;
        }
        using var held = place;
        var pass = await agents.AdmitAsync(http, AgentCallKind.Inference, body.Request.TokenBound);
        if (pass.Refusal is not null)
        {
            await pass.Refusal.ToResult().ExecuteAsync(http);
            return;
        }
        var id = (chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N")[..24];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var log = logs.CreateLogger("OpenLedger.Silo.OpenAi");
        IAsyncEnumerator<CompletionChunk>? chunks = null;
        try
        {
            // The door charges the agent, notes the tokens used on the lease and records a refusal by the fee vault.
            chunks = door.ServeAsync(pass.Lease, body.Model, body.Request, http.RequestAborted).GetAsyncEnumerator(http.RequestAborted);
            // The first piece is awaited before any byte is written, so bad requests still get a proper status.
            var any = await chunks.MoveNextAsync();
            var last = await (body.Stream
                ? StreamAsync(http, chunks, any, body.Model, id, created, chat, log)
                : WholeAsync(http, chunks, any, body.Model, id, created, chat));
            if (last?.InferenceId is { } inference)
            {
                // The dashboard's live rate and recent attributions read this bounded record.
                recent.Add(inference, body.Model, last.PromptTokens, last.CompletionTokens, chat, body.Stream);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The agent went away; the engine has dropped the request.
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            var error = OpenAiError.From(ex);
            if (error is null)
            {
                log.LogError(ex, "Request {Id} failed", id);
            }
            await (error ?? OpenAiError.Server(id)).ToResult().ExecuteAsync(http);
        }
        finally
        {
            if (chunks is not null)
            {
                await chunks.DisposeAsync();
            }
            await agents.FinishAsync(pass);
        }
    }

    private static async Task<CompletionChunk?> WholeAsync(HttpContext http, IAsyncEnumerator<CompletionChunk> chunks, bool any, string model, string requestId, long created, bool chat)
    {
        var text = new System.Text.StringBuilder();
        CompletionChunk? last = null;
        for (var more = any; more; more = await chunks.MoveNextAsync())
        {
            text.Append(chunks.Current.Text);
            last = chunks.Current;
        }
        var usage = Usage(last);
        object choice = chat
            ? new { index = 0, message = new { role = "assistant", content = text.ToString() }, finish_reason = last?.FinishReason }
            : new { index = 0, text = text.ToString(), finish_reason = last?.FinishReason };
        if (last?.InferenceId is { } inference)
        {
            http.Response.Headers[InferenceHeader] = inference;
        }
        var id = last?.InferenceId ?? requestId;
        await Results.Json(WithAttribution(new { id, @object = chat ? "chat.completion" : "text_completion", created, model, choices = new[] { choice }, usage }, last?.Attribution))
            .ExecuteAsync(http);
        return last;
    }

    // Returns the last chunk sent, or null when the agent went away before the end.
    private static async Task<CompletionChunk?> StreamAsync(HttpContext http, IAsyncEnumerator<CompletionChunk> chunks, bool any, string model, string requestId, long created, bool chat, ILogger log)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var first = true;
        var id = requestId;
        CompletionChunk? last = null;
        try
        {
            for (var more = any; more; more = await chunks.MoveNextAsync())
            {
                var chunk = chunks.Current;
                last = chunk;
                // The grid names the inference when its answer finishes; from then on the chunks carry that name.
                id = chunk.InferenceId ?? id;
                object choice = chat
                    ? new { index = 0, delta = first ? new { role = (string?)"assistant", content = chunk.Text } : new { role = (string?)null, content = chunk.Text }, finish_reason = chunk.FinishReason }
                    : new { index = 0, text = chunk.Text, finish_reason = chunk.FinishReason };
                first = false;
                await SendAsync(http, WithAttribution(new
                {
                    id,
                    @object = chat ? "chat.completion.chunk" : "text_completion",
                    created,
                    model,
                    choices = new[] { choice },
                    usage = chunk.FinishReason is null ? null : Usage(chunk),
                }, chunk.Attribution));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            // Headers are gone: the error travels as an event, as OpenAI's streams do.
            var error = OpenAiError.From(ex);
            if (error is null)
            {
                log.LogError(ex, "Stream {Id} failed", requestId);
            }
            try
            {
                await SendAsync(http, (error ?? OpenAiError.Server(requestId)).Body);
            }
            catch (Exception) when (http.RequestAborted.IsCancellationRequested)
            {
                return null;     // the agent is gone; there is no one to tell
            }
        }
        if (http.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
        await http.Response.WriteAsync("data: [DONE]\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
        return last;
    }

    // An adapter names where it lives and what it costs; a base model only that it is one.
    private static object ModelJson(ServedModel model) => model.IsAdapter
        ? new
        {
            id = model.Id,
            @object = "model",
            created = model.Created.ToUnixTimeSeconds(),
            owned_by = "openledger",
            base_model = model.BaseModel,
            residency = model.Residency?.ToString().ToLowerInvariant(),
            silo = model.Silo,
            rank = model.Rank,
            device_bytes = model.DeviceBytes,
            pinned = model.Pinned,
            price_per_1k_tokens_wei = model.PricePer1kTokensWei,
        }
        : new { id = model.Id, @object = "model", created = 0L, owned_by = "openledger", base_model = (string?)null, residency = "base" };

    // The answer as OpenAI shapes it, plus the grid's attribution record when one was computed for it.
    private static object WithAttribution(object payload, AttributionRecord? attribution)
    {
        if (attribution is null)
        {
            return payload;
        }
        var node = JsonSerializer.SerializeToNode(payload, _json)!.AsObject();
        node["openledger_attribution"] = AttributionJson.ToNode(attribution);
        return node;
    }

    private static object? Usage(CompletionChunk? last) => last is null ? null
        : new { prompt_tokens = last.PromptTokens, completion_tokens = last.CompletionTokens, total_tokens = last.PromptTokens + last.CompletionTokens };

    private static async Task SendAsync(HttpContext http, object payload)
    {
        await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload, _json) + "\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }
}
