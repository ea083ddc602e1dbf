using OpenLedger.Attribution;
using OpenLedger.Client.OpenAi;

namespace OpenLedger.Client.Agents;

/// <summary>
/// How an <see cref="AgentClient"/> reaches the grid: the HTTP API or an Orleans gateway. Both present the agent key
/// with every call, sign it when the client holds the private key, retry only refusals that did no work, and report
/// errors as the same exception types.
/// </summary>
internal interface IAgentTransport : IAsyncDisposable
{
    /// <summary>The grid's base URL over HTTP; null over a gateway.</summary>
    Uri? BaseAddress { get; }

    Task<IReadOnlyList<OpenAiModel>> ListModelsAsync(string apiKey, CancellationToken cancellation);

    Task<OpenAiCompletionChunk> CompleteAsync(string apiKey, AgentPrompt prompt, CancellationToken cancellation);

    IAsyncEnumerable<OpenAiCompletionChunk> StreamAsync(string apiKey, AgentPrompt prompt, CancellationToken cancellation);

    Task<AttributionRecord> GetAttributionAsync(string apiKey, string inferenceId, CancellationToken cancellation);

    Task<AgentStatus> StatusAsync(string apiKey, bool refresh, CancellationToken cancellation);

    Task RevokeKeyAsync(string apiKey, string keyId, CancellationToken cancellation);

    /// <summary>Asks for a challenge for the signer's address, signs it and registers a new key.</summary>
    Task<IssuedAgentKey> IssueKeyAsync(AgentRequestSigner signer, string? label, CancellationToken cancellation);
}

/// <summary>What to generate: a prompt, or chat turns when <see cref="Messages"/> is set.</summary>
internal sealed record AgentPrompt(string Model, string? Prompt, IReadOnlyList<OpenAiChatMessage>? Messages, OpenAiSampling? Sampling, bool AttributeSync)
{
    public bool IsChat => Messages is not null;
}
