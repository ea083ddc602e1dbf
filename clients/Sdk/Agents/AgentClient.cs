using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenLedger.Attribution;
using OpenLedger.Client.OpenAi;

namespace OpenLedger.Client.Agents;

/// <summary>
/// An agent's client for the grid's HTTP API: registers an API key for its Ethereum address, calls models through the
/// OpenAI-compatible routes, reads its stake, limits, spend and evidence, and revokes or rotates keys. With the agent's
/// private key it signs every request (<see cref="AgentRequestSigner"/>). Requests the grid refused before doing any
/// work are retried with backoff (<see cref="AgentClientOptions"/>); errors arrive as <see cref="OpenAiApiException"/>,
/// the agent refusals as <see cref="AgentApiException"/> subclasses.
/// </summary>
public sealed class AgentClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly AgentRequestSigner? _signer;
    private Credentials? _credentials;

    private AgentClient(Uri grid, AgentRequestSigner? signer, AgentClientOptions options)
    {
        options.Validate();
        // Without a trailing slash a base path such as /grid would be replaced, not extended, by "v1/...".
        _baseAddress = grid.AbsoluteUri.EndsWith('/') ? grid : new Uri(grid.AbsoluteUri + "/");
        _signer = signer;
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (signer is not null && options.SignRequests)
        {
            handler = new AgentSigningHandler(signer, handler);
        }
        // The per-attempt timeout lives in the retry handler; a whole-client timeout would cut long streams short.
        _http = new HttpClient(new AgentRetryHandler(options, handler)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Registers a new API key for the address of <paramref name="privateKeyHex"/>: asks the grid at
    /// <paramref name="grid"/> for a challenge, signs it, and returns a client using the new key that also signs its
    /// requests with the private key. A stake below the minimum is a <see cref="StakeTooLowException"/>.
    /// </summary>
    public static async Task<AgentClient> RegisterAsync(Uri grid, string privateKeyHex, string? label = null, AgentClientOptions? options = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var client = new AgentClient(grid, new AgentRequestSigner(privateKeyHex), options ?? new AgentClientOptions());
        try
        {
            client.Use(await client.IssueKeyAsync(label, cancellation));
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A client for the grid at <paramref name="grid"/> using an existing <paramref name="apiKey"/>; with
    /// <paramref name="signingKeyHex"/> (the agent's private key) it signs its requests and can rotate the key.
    /// <paramref name="keyId"/> names the key, where known, so that <see cref="RotateKeyAsync"/> can revoke it.
    /// </summary>
    public static AgentClient Connect(Uri grid, string apiKey, string? signingKeyHex = null, AgentClientOptions? options = null, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        var signer = signingKeyHex is null ? null : new AgentRequestSigner(signingKeyHex);
        var client = new AgentClient(grid, signer, options ?? new AgentClientOptions());
        client.Use(apiKey, keyId, signer?.Address);
        return client;
    }

    /// <summary>The grid's base URL, ending in a slash.</summary>
    public Uri BaseAddress => _baseAddress;

    /// <summary>The API key in use.</summary>
    public string ApiKey => Current.ApiKey;

    /// <summary>The id of the key in use, when this client issued it or was told it.</summary>
    public string? KeyId => Current.KeyId;

    /// <summary>The agent's address, when known: from its private key, or from the grid once it issued a key or reported status.</summary>
    public string? Address => Current.Address;

    /// <summary>Whether this client holds the agent's private key, and so can sign requests and rotate keys.</summary>
    public bool HasPrivateKey => _signer is not null;

    private Credentials Current => Volatile.Read(ref _credentials) ?? throw new InvalidOperationException("This client has no API key yet.");

    /// <summary>The base models and deployed adapters the grid serves, with each adapter's residency and price.</summary>
    public Task<IReadOnlyList<OpenAiModel>> ListModelsAsync(CancellationToken cancellation = default) => Current.OpenAi.ListModelsAsync(cancellation);

    /// <summary>The whole continuation of <paramref name="prompt"/> by <paramref name="model"/>, with its inference id and usage.</summary>
    public Task<OpenAiCompletionChunk> CompleteAsync(string model, string prompt, OpenAiSampling? sampling = null, bool attributeSync = false,
        CancellationToken cancellation = default) =>
        Current.OpenAi.CompleteAsync(model, prompt, sampling, attributeSync, cancellation);

    /// <summary>
    /// Streams the continuation of <paramref name="prompt"/> by <paramref name="model"/>; the last piece names the
    /// inference and carries the usage. A stream that has started is never sent again.
    /// </summary>
    public IAsyncEnumerable<OpenAiCompletionChunk> StreamCompletionAsync(string model, string prompt, OpenAiSampling? sampling = null,
        bool attributeSync = false, CancellationToken cancellation = default) =>
        Current.OpenAi.StreamCompletionAsync(model, prompt, sampling, attributeSync, cancellation);

    /// <summary>The whole of <paramref name="model"/>'s reply to <paramref name="messages"/>, with its inference id and usage.</summary>
    public Task<OpenAiCompletionChunk> ChatAsync(string model, IReadOnlyList<OpenAiChatMessage> messages, OpenAiSampling? sampling = null,
        bool attributeSync = false, CancellationToken cancellation = default) =>
        Current.OpenAi.ChatAsync(model, messages, sampling, attributeSync, cancellation);

    /// <summary>Streams <paramref name="model"/>'s reply to <paramref name="messages"/>; the last piece names the inference.</summary>
    public IAsyncEnumerable<OpenAiCompletionChunk> StreamChatAsync(string model, IReadOnlyList<OpenAiChatMessage> messages, OpenAiSampling? sampling = null,
        bool attributeSync = false, CancellationToken cancellation = default) =>
        Current.OpenAi.StreamChatAsync(model, messages, sampling, attributeSync, cancellation);

    /// <summary>The attribution of an answer by its inference id (<c>inf-…</c>): who contributed, and their shares.</summary>
    public Task<AttributionRecord> GetAttributionAsync(string inferenceId, CancellationToken cancellation = default) =>
        Current.OpenAi.GetAttributionAsync(inferenceId, cancellation);

    /// <summary>
    /// The agent as the grid sees it: eligibility, keys, limits, spend and what is left of the budget, and evidence
    /// with any slash. <paramref name="refresh"/> has the grid re-read the stake from the chain first.
    /// </summary>
    public async Task<AgentStatus> StatusAsync(bool refresh = false, CancellationToken cancellation = default)
    {
        var credentials = Current;
        using var request = Request(HttpMethod.Get, refresh ? "v1/agent?refresh=true" : "v1/agent", null, credentials.ApiKey);
        var (json, status) = await SendAsync(request, cancellation);
        var agent = AgentResponses.ReadStatus(json, status);
        if (credentials.Address is null)
        {
            Interlocked.CompareExchange(ref _credentials, credentials with { Address = agent.Address }, credentials);
        }
        return agent;
    }

    /// <summary>
    /// Revokes the key <paramref name="keyId"/> at once. Revoking the key in use is allowed: this client's later calls
    /// are then refused with <see cref="AgentKeyRejectedException"/>.
    /// </summary>
    public async Task RevokeKeyAsync(string keyId, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        using var request = Request(HttpMethod.Delete, "v1/agent/keys/" + Uri.EscapeDataString(keyId), null, Current.ApiKey);
        await SendAsync(request, cancellation);
    }

    /// <summary>
    /// Replaces the key in use: registers a new one with the private key, switches this client to it, then revokes the
    /// old one. Needs the private key, and the old key's id (known when this client issued the key, was told it, or the
    /// agent has no other live key).
    /// </summary>
    public async Task<IssuedAgentKey> RotateKeyAsync(string? label = null, CancellationToken cancellation = default)
    {
        if (_signer is null)
        {
            throw new InvalidOperationException("Rotating a key needs the agent's private key: connect with signingKeyHex, or register with RegisterAsync.");
        }
        var old = Current;
        var oldKeyId = old.KeyId ?? await SoleLiveKeyAsync(cancellation);
        var issued = await IssueKeyAsync(label, cancellation);
        Use(issued);
        await RevokeKeyAsync(oldKeyId, cancellation);
        return issued;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<string> SoleLiveKeyAsync(CancellationToken cancellation)
    {
        var live = (await StatusAsync(cancellation: cancellation)).Keys.Where(k => !k.IsRevoked).ToList();
        return live.Count == 1
            ? live[0].KeyId
            : throw new InvalidOperationException(
                $"The agent has {live.Count} live keys and this client does not know which one it uses: connect with keyId to rotate it, or revoke the old one with RevokeKeyAsync.");
    }

    private async Task<IssuedAgentKey> IssueKeyAsync(string? label, CancellationToken cancellation)
    {
        var signer = _signer!;
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

    private void Use(IssuedAgentKey issued) => Use(issued.Key, issued.KeyId, issued.Address);

    private void Use(string apiKey, string? keyId, string? address) =>
        // The OpenAI client does not own the shared HttpClient, so a replaced one needs no disposing.
        Volatile.Write(ref _credentials, new Credentials(apiKey, keyId, address, new OpenAiHttpClient(_http, _baseAddress, apiKey)));

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

    private sealed record Credentials(string ApiKey, string? KeyId, string? Address, OpenAiHttpClient OpenAi);
}
