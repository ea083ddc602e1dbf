using System.Text.Json;
using OpenLedger.Attribution;
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
            agents.Refusal(http.Request) is { } refusal
                ? OpenAiError.Unauthorized(refusal).ToResult()
                : Results.Json(new { @object = "list", data = await routes.ListAsync() }));
        app.MapPost("/v1/completions", (HttpContext http, AgentCredentials agents, ModelRoutes routes, ILoggerFactory logs) =>
            CompleteAsync(http, agents, routes, logs, chat: false));
        app.MapPost("/v1/chat/completions", (HttpContext http, AgentCredentials agents, ModelRoutes routes, ILoggerFactory logs) =>
            CompleteAsync(http, agents, routes, logs, chat: true));
        return app;
    }

    private static async Task CompleteAsync(HttpContext http, AgentCredentials agents, ModelRoutes routes, ILoggerFactory logs, bool chat)
    {
        var (refusal, agent) = agents.Authenticate(http.Request);
        if (refusal is not null)
        {
            await OpenAiError.Unauthorized(refusal).ToResult().ExecuteAsync(http);
            return;
        }
        var (body, invalid) = await CompletionBody.ReadAsync(http.Request, chat);
        if (body is null)
        {
            await invalid!.ToResult().ExecuteAsync(http);
            return;
        }
        var id = (chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N")[..24];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var log = logs.CreateLogger("OpenLedger.Silo.OpenAi");
        IAsyncEnumerator<CompletionChunk>? chunks = null;
        try
        {
            var stream = await routes.StreamAsync(body.Model, body.Request with { Agent = agent }, http.RequestAborted);
            chunks = stream.GetAsyncEnumerator(http.RequestAborted);
            // The first piece is awaited before any byte is written, so bad requests still get a proper status.
            var any = await chunks.MoveNextAsync();
            if (body.Stream)
            {
                await StreamAsync(http, chunks, any, body.Model, id, created, chat, log);
            }
            else
            {
                await WholeAsync(http, chunks, any, body.Model, id, created, chat);
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
        }
    }

    private static async Task WholeAsync(HttpContext http, IAsyncEnumerator<CompletionChunk> chunks, bool any, string model, string requestId, long created, bool chat)
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
    }

    private static async Task StreamAsync(HttpContext http, IAsyncEnumerator<CompletionChunk> chunks, bool any, string model, string requestId, long created, bool chat, ILogger log)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var first = true;
        var id = requestId;
        try
        {
            for (var more = any; more; more = await chunks.MoveNextAsync())
            {
                var chunk = chunks.Current;
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
                return;     // the agent is gone; there is no one to tell
            }
        }
        if (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        await http.Response.WriteAsync("data: [DONE]\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

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
