using OpenLedger.Attribution;
using OpenLedger.Serving;

namespace OpenLedger.Agents;

/// <summary>
/// The agent API for Orleans gateway clients: the HTTP API's agent routes as grain calls. Every call presents the
/// agent key (and a signature, when the agent signs) and passes the same admission as an HTTP request: key, signature
/// and nonce, stake, request and token rates, concurrency and budget, all in the agent's grain; completions are held
/// against and charged to the agent's deposit like any other. Refusals throw the agent errors before any work.
/// </summary>
[Alias("OpenLedger.IAgentGatewayGrain")]
public interface IAgentGatewayGrain : IGrainWithIntegerKey
{
    /// <summary>The deployed adapters with their residency and price, then the base models (<c>GET /v1/models</c>).</summary>
    [Alias("ListModels")]
    Task<IReadOnlyList<ServedModel>> ListModels(AgentCredential credential, CancellationToken cancellation = default);

    /// <summary>
    /// Streams the completion of <paramref name="call"/>, charged to the agent. Cancelling stops generation; the call's
    /// slot is freed with the tokens it used however the stream ends.
    /// </summary>
    [Alias("Generate")]
    IAsyncEnumerable<CompletionChunk> Generate(AgentCredential credential, AgentCompletionCall call, CancellationToken cancellation = default);

    /// <summary>The agent's stake, keys, limits, spending and evidence; <paramref name="refreshStake"/> re-reads the stake first.</summary>
    [Alias("Status")]
    Task<AgentStatus> Status(AgentCredential credential, bool refreshStake, CancellationToken cancellation = default);

    /// <summary>The attribution of the inference <paramref name="inferenceId"/> (<c>inf-…</c>).</summary>
    [Alias("Attribution")]
    Task<AttributionRecord> Attribution(AgentCredential credential, string inferenceId, CancellationToken cancellation = default);

    /// <summary>Revokes the agent's key <paramref name="keyId"/> at once.</summary>
    [Alias("Revoke")]
    Task Revoke(AgentCredential credential, string keyId, CancellationToken cancellation = default);
}
