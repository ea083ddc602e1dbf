using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenLedger.Attribution;
using OpenLedger.Client.OpenAi;

namespace OpenLedger.Client.Agents;

/// <summary>
/// The grid's HTTP API: OpenAI-compatible routes for models, completions and attributions, the agent routes for keys
/// and status. Requests are signed per attempt and retried by the handlers under the client.
/// </summary>
internal sealed class AgentHttpTransport : IAgentTransport
{
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;

    public AgentHttpTransport(Uri grid, AgentRequestSigner? signer, AgentClientOptions options)
    {
        // Without a trailing slash a base path such as /grid would be replaced, not extended, by "v1/...".
        _baseAddress = grid.AbsoluteUri.EndsWith('/') ? grid : new Uri(grid.AbsoluteUri + "/");
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (signer is not null && options.SignRequests)
        {
            handler = new AgentSigningHandler(signer, handler);
        }
        // The per-attempt timeout lives in the retry handler; a whole-client timeout would cut long streams short.
        _http = new HttpClient(new AgentRetryHandler(options, handler)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public Uri? BaseAddress => _baseAddress;

    public Task<IReadOnlyList<OpenAiModel>> ListModelsAsync(string apiKey, CancellationToken cancellation) => OpenAi(apiKey).ListModelsAsync(cancellation);

    public Task<OpenAiCompletionChunk> CompleteAsync(string apiKey, AgentPrompt prompt, CancellationToken cancellation) => prompt.IsChat
        ? OpenAi(apiKey).ChatAsync(prompt.Model, prompt.Messages!, prompt.Sampling, prompt.AttributeSync, cancellation)
        : OpenAi(apiKey).CompleteAsync(prompt.Model, prompt.Prompt!, prompt.Sampling, prompt.AttributeSync, cancellation);

    public IAsyncEnumerable<OpenAiCompletionChunk> StreamAsync(string apiKey, AgentPrompt prompt, CancellationToken cancellation) => prompt.IsChat
        ? OpenAi(apiKey).StreamChatAsync(prompt.Model, prompt.Messages!, prompt.Sampling, prompt.AttributeSync, cancellation)
        : OpenAi(apiKey).StreamCompletionAsync(prompt.Model, prompt.Prompt!, prompt.Sampling, prompt.AttributeSync, cancellation);

    public Task<AttributionRecord> GetAttributionAsync(string apiKey, string inferenceId, CancellationToken cancellation) =>
        OpenAi(apiKey).GetAttributionAsync(inferenceId, cancellation);

    public async Task<AgentStatus> StatusAsync(string apiKey, bool refresh, CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Get, refresh ? "v1/agent?refresh=true" : "v1/agent", null, apiKey);
        var (json, status) = await SendAsync(request, cancellation);
        return AgentResponses.ReadStatus(json, status);
    }

    public async Task RevokeKeyAsync(string apiKey, string keyId, CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Delete, "v1/agent/keys/" + Uri.EscapeDataString(keyId), null, apiKey);
        await SendAsync(request, cancellation);
    }

    public async Task<IssuedAgentKey> IssueKeyAsync(AgentRequestSigner signer, string? label, CancellationToken cancellation)
    {
        using var ask = Request(HttpMethod.Post, "v1/agents/challenge", new JsonObject { ["address"] = signer.Address }, apiKey: null);
        var (challengeJson, challengeStatus) = await SendAsync(ask, cancellation);
        var challenge = AgentResponses.ReadChallenge(challengeJson, challengeStatus);
        var body = new JsonObject
        {
            ["address"] = signer.Address,
            ["challenge"] = challenge.Challenge,
            ["signature"] = signer.SignText(challenge.Challenge),
        };
        if (label is not null)
        {
            body["label"] = label;
        }
        using var create = Request(HttpMethod.Post, "v1/agents/keys", body, apiKey: null);
        var (keyJson, keyStatus) = await SendAsync(create, cancellation);
        return AgentResponses.ReadIssuedKey(keyJson, keyStatus);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    // The OpenAI client does not own the shared HttpClient, so one per call needs no disposing.
    private OpenAiHttpClient OpenAi(string apiKey) => new(_http, _baseAddress, apiKey);

    private HttpRequestMessage Request(HttpMethod method, string path, JsonObject? body, string? apiKey)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseAddress, path));
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        return request;
    }

    private async Task<(string Json, int Status)> SendAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        using var response = await _http.SendAsync(request, cancellation);
        var json = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw OpenAiResponses.ReadError((int)response.StatusCode, json, response.ReasonPhrase, AgentErrors.RetryAfter(response));
        }
        return (json, (int)response.StatusCode);
    }
}
