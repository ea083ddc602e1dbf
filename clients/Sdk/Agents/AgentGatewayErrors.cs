using OpenLedger.Client.OpenAi;
using Grid = OpenLedger.Errors;

namespace OpenLedger.Client.Agents;

/// <summary>
/// The grid's errors, as grain calls throw them, in the form an HTTP agent sees them: the same exception types, codes
/// and messages, with the status the HTTP API would have answered, so code handling refusals works over either door.
/// </summary>
internal static class AgentGatewayErrors
{
    /// <summary>The client-side exception for <paramref name="error"/>, or null for one the grid did not raise on purpose.</summary>
    public static OpenAiApiException? Translate(Exception error) => error switch
    {
        Grid.AgentLimitException limit => AgentErrors.Create(429, "rate_limit_error", limit.Code, null, limit.Message, TimeSpan.FromSeconds(limit.RetryAfterSeconds)),
        Grid.BudgetExceededException => Create(429, "insufficient_quota", error),
        Grid.InsufficientDepositException => Create(402, "insufficient_quota", error),
        Grid.AgentKeyRejectedException { Code: "key_not_found" } => Create(404, "invalid_request_error", error),
        Grid.AgentKeyRejectedException => Create(401, "invalid_request_error", error),
        Grid.StakeTooLowException => Create(403, "permission_error", error),
        Grid.AgentChallengeException => AgentErrors.Create(400, "invalid_request_error", ((Grid.OpenLedgerException)error).Code, "signature", error.Message),
        Grid.EconomyNotConfiguredException => Create(503, "server_error", error),
        Grid.InvalidCompletionException invalid => AgentErrors.Create(400, "invalid_request_error", invalid.Code, invalid.Parameter, invalid.Message),
        Grid.UnknownAdapterException or Grid.UnknownBaseModelException => AgentErrors.Create(404, "invalid_request_error", "model_not_found", "model", error.Message),
        Grid.UnknownInferenceException => Create(404, "invalid_request_error", error),
        Grid.CompletionTimeoutException => Create(504, "timeout", error),
        Grid.OpenLedgerException => Create(500, "server_error", error),
        _ => null,
    };

    /// <summary>Whether <paramref name="error"/> refused the call before any work, and how long to wait before sending it again.</summary>
    public static TimeSpan? RetryDelay(Exception error, AgentClientOptions options, int attempt, bool idempotent) => error switch
    {
        _ when attempt >= options.MaxRetries => null,
        Grid.AgentLimitException limit => AgentBackoff.AsAsked(options, TimeSpan.FromSeconds(limit.RetryAfterSeconds)),
        // The gateway could not reach a silo: a read may be sent again, anything else may have been done.
        SiloUnavailableException or Orleans.Runtime.Messaging.ConnectionFailedException when idempotent => AgentBackoff.Exponential(options, attempt),
        _ => null,
    };

    private static OpenAiApiException Create(int status, string type, Exception error) =>
        AgentErrors.Create(status, type, ((Grid.OpenLedgerException)error).Code, null, error.Message);
}
