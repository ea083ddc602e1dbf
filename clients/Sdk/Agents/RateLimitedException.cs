namespace OpenLedger.Client.Agents;

/// <summary>
/// 429 <c>rate_limited</c> or <c>concurrency_limited</c> (the agent's own limits) or <c>server_overloaded</c> (the
/// silo's, whoever sent the rest): the request was refused before any work and not charged, so it can be sent again
/// after <see cref="RetryAfter"/>. <see cref="AgentClient"/> already retried it as often as
/// <see cref="AgentClientOptions.MaxRetries"/> allows.
/// </summary>
public sealed class RateLimitedException(int status, string type, string? code, string? param, string message, TimeSpan? retryAfter)
    : AgentApiException(status, type, code, param, message)
{
    /// <summary>How long the grid asked the agent to wait (its <c>Retry-After</c> header), when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>True when the agent had too many requests in flight, rather than too many per second.</summary>
    public bool IsConcurrencyLimit => Code == AgentErrors.ConcurrencyLimited;

    /// <summary>True when the silo was full with every agent's requests, rather than this agent over its own limits.</summary>
    public bool IsServerOverloaded => Code == AgentErrors.ServerOverloaded;
}
