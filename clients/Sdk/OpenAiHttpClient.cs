using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using OpenLedger.Attribution;
using OpenLedger.Client.Agents;
using OpenLedger.Client.OpenAi;

namespace OpenLedger.Client;

/// <summary>
/// An agent's client for a silo's OpenAI-compatible HTTP API: lists models, streams completions and chat replies and
/// reads the attribution of the answers, authenticating with an agent key. Errors the API reports arrive as
/// <see cref="OpenAiApiException"/> (the grid's agent refusals as its <see cref="AgentApiException"/> subclasses).
/// <see cref="AgentClient"/> adds key registration, request signing and retries on top.
/// </summary>
public sealed class OpenAiHttpClient : IDisposable
{
    /// <summary>The environment variable naming the API's base URL.</summary>
    public const string UrlVariable = "OPENLEDGER_HTTP_URL";

    /// <summary>The environment variable holding the agent key.</summary>
    public const string AgentKeyVariable = "OPENLEDGER_AGENT_KEY";

    /// <summary>The response header naming the inference id of a whole (non-streamed) answer.</summary>
    public const string InferenceHeader = "X-OpenLedger-Inference";

    /// <summary>The base URL used when <see cref="UrlVariable"/> is not set.</summary>
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:8080/");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseAddress;
    private readonly string _agentKey;

    /// <summary>A client with its own connection pool, for the API at <paramref name="baseAddress"/>.</summary>
    public OpenAiHttpClient(Uri baseAddress, string agentKey)
        // Streams last as long as generation does; callers bound them with their cancellation token instead.
        : this(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, baseAddress, agentKey, ownsHttp: true)
    {
    }

    /// <summary>A client over <paramref name="http"/>, which it leaves unchanged and does not dispose.</summary>
    public OpenAiHttpClient(HttpClient http, Uri baseAddress, string agentKey) : this(http, baseAddress, agentKey, ownsHttp: false)
    {
    }

    private OpenAiHttpClient(HttpClient http, Uri baseAddress, string agentKey, bool ownsHttp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentKey);
        _http = http;
        _ownsHttp = ownsHttp;
        // Without a trailing slash a base path such as /grid would be replaced, not extended, by "v1/...".
        _baseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _agentKey = agentKey;
    }

    /// <summary>
    /// A client for the URL in <see cref="UrlVariable"/> (default <see cref="DefaultUrl"/>) with the key in
    /// <see cref="AgentKeyVariable"/>; throws <see cref="InvalidOperationException"/> when the key is not set.
    /// </summary>
    public static OpenAiHttpClient FromEnvironment()
    {
        var key = Environment.GetEnvironmentVariable(AgentKeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidOperationException($"Set {AgentKeyVariable} to an agent key for the grid's HTTP API (`./openledger` sets it when it starts the silos).");
        }
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            return new OpenAiHttpClient(DefaultUrl, key);
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException($"{UrlVariable} '{url}' is not an absolute URL such as {DefaultUrl}.");
        }
        return new OpenAiHttpClient(uri, key);
    }

    /// <summary>The API's base URL, ending in a slash.</summary>
    public Uri BaseAddress => _baseAddress;

    /// <summary>The base models and deployed adapters the API serves (<c>GET /v1/models</c>).</summary>
    public async Task<IReadOnlyList<OpenAiModel>> ListModelsAsync(CancellationToken cancellation = default)
    {
        using var request = Request(HttpMethod.Get, "v1/models", null);
        using var response = await _http.SendAsync(request, cancellation);
        await ThrowIfFailedAsync(response, cancellation);
        return OpenAiResponses.ReadModels(await response.Content.ReadAsStringAsync(cancellation), (int)response.StatusCode);
    }

    /// <summary>
    /// Streams the continuation of <paramref name="prompt"/> by <paramref name="model"/> (<c>POST /v1/completions</c>).
    /// The last piece's <see cref="OpenAiCompletionChunk.InferenceId"/> names the answer's attribution; with
    /// <paramref name="attributeSync"/> the last piece waits for the attribution and carries it.
    /// </summary>
    public IAsyncEnumerable<OpenAiCompletionChunk> StreamCompletionAsync(string model, string prompt, OpenAiSampling? sampling = null,
        bool attributeSync = false, CancellationToken cancellation = default) =>
        StreamAsync("v1/completions", CompletionBody(model, prompt, sampling, stream: true, attributeSync), cancellation);

    /// <summary>
    /// The whole continuation of <paramref name="prompt"/> by <paramref name="model"/>, in one answer with its inference
    /// id and, with <paramref name="attributeSync"/>, its attribution.
    /// </summary>
    public Task<OpenAiCompletionChunk> CompleteAsync(string model, string prompt, OpenAiSampling? sampling = null, bool attributeSync = false,
        CancellationToken cancellation = default) =>
        PostAsync("v1/completions", CompletionBody(model, prompt, sampling, stream: false, attributeSync), cancellation);

    /// <summary>
    /// Streams <paramref name="model"/>'s reply to <paramref name="messages"/> (<c>POST /v1/chat/completions</c>); the
    /// last piece names the inference, and with <paramref name="attributeSync"/> carries its attribution.
    /// </summary>
    public IAsyncEnumerable<OpenAiCompletionChunk> StreamChatAsync(string model, IReadOnlyList<OpenAiChatMessage> messages, OpenAiSampling? sampling = null,
        bool attributeSync = false, CancellationToken cancellation = default) =>
        StreamAsync("v1/chat/completions", ChatBody(model, messages, sampling, stream: true, attributeSync), cancellation);

    /// <summary>
    /// The whole of <paramref name="model"/>'s reply to <paramref name="messages"/>, in one answer with its inference id
    /// and, with <paramref name="attributeSync"/>, its attribution.
    /// </summary>
    public Task<OpenAiCompletionChunk> ChatAsync(string model, IReadOnlyList<OpenAiChatMessage> messages, OpenAiSampling? sampling = null,
        bool attributeSync = false, CancellationToken cancellation = default) =>
        PostAsync("v1/chat/completions", ChatBody(model, messages, sampling, stream: false, attributeSync), cancellation);

    /// <summary>
    /// The attribution of <paramref name="inferenceId"/> as it stands (<c>GET /v1/attributions/{id}</c>); an unknown id
    /// is an <see cref="OpenAiApiException"/> with code <c>inference_not_found</c>.
    /// </summary>
    public async Task<AttributionRecord> GetAttributionAsync(string inferenceId, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inferenceId);
        using var request = Request(HttpMethod.Get, "v1/attributions/" + Uri.EscapeDataString(inferenceId), null);
        using var response = await _http.SendAsync(request, cancellation);
        await ThrowIfFailedAsync(response, cancellation);
        return OpenAiResponses.ReadAttribution(await response.Content.ReadAsStringAsync(cancellation), (int)response.StatusCode);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static JsonObject CompletionBody(string model, string prompt, OpenAiSampling? sampling, bool stream, bool attributeSync)
    {
        var body = new JsonObject { ["model"] = model, ["prompt"] = prompt };
        return Finish(body, sampling, stream, attributeSync);
    }

    private static JsonObject ChatBody(string model, IReadOnlyList<OpenAiChatMessage> messages, OpenAiSampling? sampling, bool stream, bool attributeSync)
    {
        var turns = new JsonArray(messages.Select(m => (JsonNode?)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray());
        var body = new JsonObject { ["model"] = model, ["messages"] = turns };
        return Finish(body, sampling, stream, attributeSync);
    }

    private static JsonObject Finish(JsonObject body, OpenAiSampling? sampling, bool stream, bool attributeSync)
    {
        (sampling ?? new OpenAiSampling()).WriteTo(body);
        body["stream"] = stream;
        if (attributeSync)
        {
            body["attribution"] = "sync";
        }
        return body;
    }

    private async IAsyncEnumerable<OpenAiCompletionChunk> StreamAsync(string path, JsonObject body, [EnumeratorCancellation] CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Post, path, body);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        // Headers only: the body is read event by event as the server writes it.
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        await ThrowIfFailedAsync(response, cancellation);
        var status = (int)response.StatusCode;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellation);
        await foreach (var data in ServerSentEvents.ReadDataAsync(stream, cancellation))
        {
            if (data == "[DONE]")
            {
                yield break;
            }
            yield return OpenAiResponses.ReadChunk(data, status);
        }
        throw new IOException("The completion stream ended before its [DONE] event: the connection or the silo went away. Retry the request.");
    }

    private async Task<OpenAiCompletionChunk> PostAsync(string path, JsonObject body, CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Post, path, body);
        using var response = await _http.SendAsync(request, cancellation);
        await ThrowIfFailedAsync(response, cancellation);
        var chunk = OpenAiResponses.ReadChunk(await response.Content.ReadAsStringAsync(cancellation), (int)response.StatusCode);
        // The header names the inference even for a server whose body ids are its own.
        return response.Headers.TryGetValues(InferenceHeader, out var values) && values.FirstOrDefault() is { Length: > 0 } inference
            ? chunk with { Id = inference }
            : chunk;
    }

    private HttpRequestMessage Request(HttpMethod method, string path, JsonObject? body)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _agentKey);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        return request;
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellation);
            throw OpenAiResponses.ReadError((int)response.StatusCode, body, response.ReasonPhrase, AgentErrors.RetryAfter(response));
        }
    }
}
