namespace OpenLedger.Silo.Endpoints;

/// <summary>One answer this silo's HTTP API served: its inference id (under which its attribution is kept) and size.</summary>
/// <param name="InferenceId">The grid's id of the inference (<c>inf-…</c>).</param>
/// <param name="Model">The adapter or base model that answered.</param>
/// <param name="At">When the answer finished.</param>
/// <param name="PromptTokens">Tokens of the prompt.</param>
/// <param name="CompletionTokens">Tokens generated.</param>
/// <param name="Chat">True for a chat completion.</param>
/// <param name="Stream">True when the answer was streamed.</param>
public sealed record ServedInference(string InferenceId, string Model, DateTimeOffset At, int PromptTokens, int CompletionTokens, bool Chat, bool Stream);

/// <summary>
/// The last answers this silo's HTTP API served and the rate it served them at, for the dashboard. Bounded: a ring of
/// the last <see cref="Capacity"/> answers and a one-minute <see cref="InferenceRate"/>, never a scan of grain state.
/// Each silo knows only its own answers; calls through the Orleans gateway are not here.
/// </summary>
public sealed class RecentInferences(TimeProvider clock)
{
    /// <summary>How many answers are kept.</summary>
    public const int Capacity = 256;

    private readonly Lock _lock = new();
    private readonly ServedInference?[] _ring = new ServedInference?[Capacity];
    private readonly InferenceRate _rate = new();
    private long _count;

    /// <summary>Answers recorded since the silo started.</summary>
    public long Total
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Records an answer that finished now.</summary>
    public void Add(string inferenceId, string model, int promptTokens, int completionTokens, bool chat, bool stream)
    {
        var served = new ServedInference(inferenceId, model, clock.GetUtcNow(), promptTokens, completionTokens, chat, stream);
        lock (_lock)
        {
            _ring[_count % Capacity] = served;
            _count++;
            _rate.Add(served.At, promptTokens + completionTokens);
        }
    }

    /// <summary>Up to <paramref name="limit"/> of the latest answers, newest first.</summary>
    public IReadOnlyList<ServedInference> Latest(int limit)
    {
        lock (_lock)
        {
            var take = (int)Math.Min(Math.Min(limit, Capacity), _count);
            return [.. Enumerable.Range(1, take).Select(i => _ring[(_count - i) % Capacity]!)];
        }
    }

    /// <summary>Inferences and tokens per second over the last minute, oldest second first.</summary>
    public (long[] Inferences, long[] Tokens) Rate()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            return (_rate.PerSecond(now), _rate.TokensPerSecond(now));
        }
    }
}
