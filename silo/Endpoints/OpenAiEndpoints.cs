using System.Text.Json;
using OpenLedger.Serving;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// The OpenAI-compatible inference API: <c>/v1/models</c>, <c>/v1/completions</c> and <c>/v1/chat/completions</c>,
/// streaming as server-sent events when asked. <c>model</c> names a deployed adapter or a base model. Every route
/// checks the agent key first; errors come in OpenAI's shape.
/// </summary>
public static class OpenAiEndpoints
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the routes.</summary>
    public static WebApplication MapOpenAi(this WebApplication app)
    {
        app.MapGet("/v1/models", async (HttpContext http, AgentCredentials agents, ModelRoutes routes) =>
            agents.Refusal(http.Request) is { } refusal
                ? Unauthorized(refusal).ToResult()
                : Results.Json(new { @object = "list", data = await routes.ListAsync() }));
        app.MapPost("/v1/completions", (HttpContext http, AgentCredentials agents, ModelRoutes routes, ILoggerFactory logs) =>
            CompleteAsync(http, agents, routes, logs, chat: false));
        app.MapPost("/v1/chat/completions", (HttpContext http, AgentCredentials agents, ModelRoutes routes, ILoggerFactory logs) =>
            CompleteAsync(http, agents, routes, logs, chat: true));
        return app;
    }

    private static OpenAiError Unauthorized(string message) => new(StatusCodes.Status401Unauthorized, message, "invalid_request_error", null, "invalid_api_key");

    private static async Task CompleteAsync(HttpContext http, AgentCredentials agents, ModelRoutes routes, ILoggerFactory logs, bool chat)
    {
        if (agents.Refusal(http.Request) is { } refusal)
        {
            await Unauthorized(refusal).ToResult().ExecuteAsync(http);
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
            var stream = await routes.StreamAsync(body.Model, body.Request, http.RequestAborted);
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

    private static async Task WholeAsync(HttpContext http, IAsyncEnumerator<CompletionChunk> chunks, bool any, string model, string id, long created, bool chat)
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
        await Results.Json(new { id, @object = chat ? "chat.completion" : "text_completion", created, model, choices = new[] { choice }, usage }).ExecuteAsync(http);
    }

    private static async Task StreamAsync(HttpContext http, IAsyncEnumerator<CompletionChunk> chunks, bool any, string model, string id, long created, bool chat, ILogger log)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var first = true;
        try
        {
            for (var more = any; more; more = await chunks.MoveNextAsync())
            {
                var chunk = chunks.Current;
                object choice = chat
                    ? new { index = 0, delta = first ? new { role = (string?)"assistant", content = chunk.Text } : new { role = (string?)null, content = chunk.Text }, finish_reason = chunk.FinishReason }
                    : new { index = 0, text = chunk.Text, finish_reason = chunk.FinishReason };
                first = false;
                await SendAsync(http, new
                {
                    id,
                    @object = chat ? "chat.completion.chunk" : "text_completion",
                    created,
                    model,
                    choices = new[] { choice },
                    usage = chunk.FinishReason is null ? null : Usage(chunk),
                });
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            // Headers are gone: the error travels as an event, as OpenAI's streams do.
            var error = OpenAiError.From(ex);
            if (error is null)
            {
                log.LogError(ex, "Stream {Id} failed", id);
            }
            try
            {
                await SendAsync(http, (error ?? OpenAiError.Server(id)).Body);
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

    private static object? Usage(CompletionChunk? last) => last is null ? null
        : new { prompt_tokens = last.PromptTokens, completion_tokens = last.CompletionTokens, total_tokens = last.PromptTokens + last.CompletionTokens };

    private static async Task SendAsync(HttpContext http, object payload)
    {
        await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload, _json) + "\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }
}
