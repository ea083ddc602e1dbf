using OpenLedger.Client.OpenAi;

namespace OpenLedger.Client.Agents;

/// <summary>The grid's agent error codes, and the exception type each one arrives as.</summary>
public static class AgentErrors
{
    /// <summary>401: no key, or one the grid does not know.</summary>
    public const string InvalidApiKey = "invalid_api_key";

    /// <summary>401: the key was revoked.</summary>
    public const string KeyRevoked = "key_revoked";

    /// <summary>401: the signed request's nonce was seen before.</summary>
    public const string ReplayedRequest = "replayed_request";

    /// <summary>401: the request's signature is not the key owner's.</summary>
    public const string ForgedRequest = "forged_request";

    /// <summary>401: the signed timestamp is more than five minutes off the grid's clock.</summary>
    public const string RequestExpired = "request_expired";

    /// <summary>403: the address stakes less than the minimum.</summary>
    public const string StakeTooLow = "stake_too_low";

    /// <summary>429: too many requests per second or tokens per second; retryable after <c>Retry-After</c>.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>429: too many requests in flight; retryable after <c>Retry-After</c>.</summary>
    public const string ConcurrencyLimited = "concurrency_limited";

    /// <summary>
    /// 429: the silo holds as many inference requests as it is set to (many agents at once, each within its limits);
    /// refused before any work and not charged; retryable after <c>Retry-After</c>.
    /// </summary>
    public const string ServerOverloaded = "server_overloaded";

    /// <summary>429: the epoch's spending limit is reached; not retryable.</summary>
    public const string BudgetExceeded = "budget_exceeded";

    /// <summary>402: the deposit does not cover the request; not retryable.</summary>
    public const string InsufficientDeposit = "insufficient_deposit";

    /// <summary>400: the challenge's signature is not the address's.</summary>
    public const string InvalidSignature = "invalid_signature";

    /// <summary>400: the challenge is too old; ask for a new one.</summary>
    public const string ChallengeExpired = "challenge_expired";

    /// <summary>503: the grid runs without an economy, so it cannot check stakes or issue keys.</summary>
    public const string EconomyNotConfigured = "economy_not_configured";

    /// <summary>
    /// The exception for an error object: a subclass of <see cref="AgentApiException"/> for the agent codes above, a
    /// plain <see cref="OpenAiApiException"/> for the others.
    /// </summary>
    public static OpenAiApiException Create(int status, string type, string? code, string? param, string message, TimeSpan? retryAfter = null) => code switch
    {
        RateLimited or ConcurrencyLimited or ServerOverloaded => new RateLimitedException(status, type, code, param, message, retryAfter),
        BudgetExceeded => new BudgetExceededException(status, type, code, param, message),
        StakeTooLow => new StakeTooLowException(status, type, code, param, message),
        InsufficientDeposit => new DepositExhaustedException(status, type, code, param, message),
        InvalidApiKey or KeyRevoked or ReplayedRequest or ForgedRequest or RequestExpired => new AgentKeyRejectedException(status, type, code, param, message),
        InvalidSignature or ChallengeExpired or EconomyNotConfigured => new AgentApiException(status, type, code, param, message),
        _ => new OpenAiApiException(status, type, code, param, message),
    };

    /// <summary>The wait a response's <c>Retry-After</c> header asks for (seconds or a date), or null without one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
