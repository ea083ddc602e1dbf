using OpenLedger.Agents;
using OpenLedger.Serving;

namespace OpenLedger.Grains.Agents;

/// <summary>
/// An admitted call. Disposing it frees an inference's slot with the tokens it used, once, however the call ended
/// (answered, failed or cancelled); a read holds no slot, so disposing it does nothing.
/// </summary>
public sealed class AgentLease : IAsyncDisposable
{
    private readonly IAgentGrain _grain;
    private readonly string _id;
    private int _tokens;
    private int _finished;

    internal AgentLease(IAgentGrain grain, string agent, string id)
    {
        _grain = grain;
        Agent = agent;
        _id = id;
    }

    /// <summary>The agent the call is charged to.</summary>
    public string Agent { get; }

    /// <summary>The tokens the call has used so far, from the counts its chunks report.</summary>
    public int Tokens => Volatile.Read(ref _tokens);

    /// <summary>Takes the token counts <paramref name="chunk"/> reports (the last chunk has the final ones).</summary>
    public void Used(CompletionChunk chunk) => Volatile.Write(ref _tokens, chunk.PromptTokens + chunk.CompletionTokens);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_id.Length > 0 && Interlocked.Exchange(ref _finished, 1) == 0)
        {
            await _grain.Finish(_id, Tokens);
        }
    }
}
