namespace OpenLedger.Client.Agents;

/// <summary>How an <see cref="AgentClient"/> retries, waits and signs.</summary>
public sealed class AgentClientOptions
{
    /// <summary>
    /// How many times a refused-but-retryable request is sent again (429 <c>rate_limited</c> or
    /// <c>concurrency_limited</c>, 503, or a GET whose connection failed before any response). Default 3; 0 never retries.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's wait before jitter; each further retry doubles it. Default 250 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The longest wait between attempts. Default 10 s. A <c>Retry-After</c> asking for longer is not slept through: the
    /// <see cref="RateLimitedException"/> goes to the caller with it.
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one attempt waits for the response to begin. Default 100 s. A stream, once started, runs as long as
    /// generation does: bound it with the cancellation token.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Whether to sign every request when the client holds the agent's private key. Default true; without the key nothing is signed.</summary>
    public bool SignRequests { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, BaseDelay);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
    }
}
