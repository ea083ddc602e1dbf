using OpenLedger.Attribution;
using OpenLedger.Client.OpenAi;

namespace OpenLedger.Client.Agents;

/// <summary>
/// An agent's client for the grid, over its HTTP API (<see cref="Connect"/>, <see cref="RegisterAsync"/>) or, for an
/// agent its operator runs inside the grid's network, over an Orleans gateway (<see cref="ConnectGatewayAsync"/>,
/// <see cref="ConnectGateway"/>). Either way it presents an agent key, calls models, reads its stake, limits, spend and
/// evidence, and revokes or rotates keys, and the grid admits, limits and charges its calls alike. With the agent's
/// private key it signs every call (<see cref="AgentRequestSigner"/>). Calls the grid refused before doing any work
/// are retried with backoff (<see cref="AgentClientOptions"/>); errors arrive as <see cref="OpenAiApiException"/>, the
/// agent refusals as <see cref="AgentApiException"/> subclasses, with the status the HTTP API gives them.
/// </summary>
public sealed class AgentClient : IDisposable, IAsyncDisposable
{
    private readonly IAgentTransport _transport;
    private readonly AgentRequestSigner? _signer;
    private Credentials? _credentials;

    private AgentClient(IAgentTransport transport, AgentRequestSigner? signer)
    {
        _transport = transport;
        _signer = signer;
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
        var signer = new AgentRequestSigner(privateKeyHex);
        var client = new AgentClient(new AgentHttpTransport(grid, signer, Validated(options)), signer);
        try
        {
            client.Use(await client._transport.IssueKeyAsync(signer, label, cancellation));
            return client;
        }
        catch
        {
            await client.DisposeAsync();
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
        return Using(new AgentClient(new AgentHttpTransport(grid, signer, Validated(options)), signer), apiKey, keyId);
    }

    /// <summary>
    /// Joins the cluster through its gateways as <paramref name="gateway"/> says, and returns a client calling the
    /// grid there with <paramref name="apiKey"/>. Gateway clients are inside the grid's trust boundary, so this is for
    /// agents an operator runs inside its network; they still pass the same key, signature, stake, limit and budget
    /// checks and are charged as over HTTP. Disposing the client leaves the cluster.
    /// </summary>
    public static async Task<AgentClient> ConnectGatewayAsync(GridClientOptions gateway, string apiKey, string? signingKeyHex = null,
        AgentClientOptions? options = null, string? keyId = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        var validated = Validated(options);
        var signer = signingKeyHex is null ? null : new AgentRequestSigner(signingKeyHex);
        var grid = await GridClient.ConnectAsync(gateway, cancellation);
        return Using(new AgentClient(new AgentGatewayTransport(grid.Cluster, grid, signer, validated), signer), apiKey, keyId);
    }

    /// <summary>
    /// A client calling the grid with <paramref name="apiKey"/> through <paramref name="cluster"/>, an Orleans client
    /// the caller already holds (and keeps: disposing this client leaves it connected). See <see cref="ConnectGatewayAsync"/>.
    /// </summary>
    public static AgentClient ConnectGateway(IClusterClient cluster, string apiKey, string? signingKeyHex = null, AgentClientOptions? options = null,
        string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        var validated = Validated(options);
        var signer = signingKeyHex is null ? null : new AgentRequestSigner(signingKeyHex);
        return Using(new AgentClient(new AgentGatewayTransport(cluster, null, signer, validated), signer), apiKey, keyId);
    }

    /// <summary>The grid's base URL, ending in a slash, for a client over HTTP; null over a gateway.</summary>
    public Uri? BaseAddress => _transport.BaseAddress;

    /// <summary>Whether this client calls the grid through an Orleans gateway rather than its HTTP API.</summary>
    public bool OverGateway => _transport.BaseAddress is null;

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
    public Task<IReadOnlyList<OpenAiModel>> ListModelsAsync(CancellationToken cancellation = default) => _transport.ListModelsAsync(Current.ApiKey, cancellation);

    /// <summary>The whole continuation of <paramref name="prompt"/> by <paramref name="model"/>, with its inference id and usage.</summary>
    public Task<OpenAiCompletionChunk> CompleteAsync(string model, string prompt, OpenAiSampling? sampling = null, bool attributeSync = false,
        CancellationToken cancellation = default) =>
        _transport.CompleteAsync(Current.ApiKey, new AgentPrompt(model, prompt, null, sampling, attributeSync), cancellation);

    /// <summary>
    /// Streams the continuation of <paramref name="prompt"/> by <paramref name="model"/>; the last piece names the
    /// inference and carries the usage. A stream that has started is never sent again.
    /// </summary>
    public IAsyncEnumerable<OpenAiCompletionChunk> StreamCompletionAsync(string model, string prompt, OpenAiSampling? sampling = null,
        bool attributeSync = false, CancellationToken cancellation = default) =>
        _transport.StreamAsync(Current.ApiKey, new AgentPrompt(model, prompt, null, sampling, attributeSync), cancellation);

    /// <summary>The whole of <paramref name="model"/>'s reply to <paramref name="messages"/>, with its inference id and usage.</summary>
    public Task<OpenAiCompletionChunk> ChatAsync(string model, IReadOnlyList<OpenAiChatMessage> messages, OpenAiSampling? sampling = null,
        bool attributeSync = false, CancellationToken cancellation = default) =>
        _transport.CompleteAsync(Current.ApiKey, new AgentPrompt(model, null, messages, sampling, attributeSync), cancellation);

    /// <summary>Streams <paramref name="model"/>'s reply to <paramref name="messages"/>; the last piece names the inference.</summary>
    public IAsyncEnumerable<OpenAiCompletionChunk> StreamChatAsync(string model, IReadOnlyList<OpenAiChatMessage> messages, OpenAiSampling? sampling = null,
        bool attributeSync = false, CancellationToken cancellation = default) =>
        _transport.StreamAsync(Current.ApiKey, new AgentPrompt(model, null, messages, sampling, attributeSync), cancellation);

    /// <summary>The attribution of an answer by its inference id (<c>inf-…</c>): who contributed, and their shares.</summary>
    public Task<AttributionRecord> GetAttributionAsync(string inferenceId, CancellationToken cancellation = default) =>
        _transport.GetAttributionAsync(Current.ApiKey, inferenceId, cancellation);

    /// <summary>
    /// The agent as the grid sees it: eligibility, keys, limits, spend and what is left of the budget, and evidence
    /// with any slash. <paramref name="refresh"/> has the grid re-read the stake from the chain first.
    /// </summary>
    public async Task<AgentStatus> StatusAsync(bool refresh = false, CancellationToken cancellation = default)
    {
        var credentials = Current;
        var agent = await _transport.StatusAsync(credentials.ApiKey, refresh, cancellation);
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
        await _transport.RevokeKeyAsync(Current.ApiKey, keyId, cancellation);
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
        var issued = await _transport.IssueKeyAsync(_signer, label, cancellation);
        Use(issued);
        await RevokeKeyAsync(oldKeyId, cancellation);
        return issued;
    }

    /// <summary>
    /// Lets go of the connection. A client that joined the cluster itself (<see cref="ConnectGatewayAsync"/>) leaves it
    /// here, blocking until it has: prefer <see cref="DisposeAsync"/> there.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    private async Task<string> SoleLiveKeyAsync(CancellationToken cancellation)
    {
        var live = (await StatusAsync(cancellation: cancellation)).Keys.Where(k => !k.IsRevoked).ToList();
        return live.Count == 1
            ? live[0].KeyId
            : throw new InvalidOperationException(
                $"The agent has {live.Count} live keys and this client does not know which one it uses: connect with keyId to rotate it, or revoke the old one with RevokeKeyAsync.");
    }

    private void Use(IssuedAgentKey issued) => Use(issued.Key, issued.KeyId, issued.Address);

    private void Use(string apiKey, string? keyId, string? address) => Volatile.Write(ref _credentials, new Credentials(apiKey, keyId, address));

    private static AgentClient Using(AgentClient client, string apiKey, string? keyId)
    {
        client.Use(apiKey, keyId, client._signer?.Address);
        return client;
    }

    private static AgentClientOptions Validated(AgentClientOptions? options)
    {
        var validated = options ?? new AgentClientOptions();
        validated.Validate();
        return validated;
    }

    private sealed record Credentials(string ApiKey, string? KeyId, string? Address);
}
