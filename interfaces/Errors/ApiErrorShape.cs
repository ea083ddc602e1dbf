namespace OpenLedger.Errors;

/// <summary>
/// An error the grid raised on purpose, as its agent-facing doors present it whatever the transport: the HTTP status,
/// OpenAI's error type, the code, the request parameter at fault, the message, and when waiting would help, how long.
/// The HTTP API writes it as its response; the SDK's gateway mode raises the same typed exception from it.
/// </summary>
public sealed record ApiErrorShape(int Status, string Type, string Code, string? Param, string Message, double? RetryAfterSeconds = null)
{
    /// <summary>The shape of <paramref name="error"/>; null for anything the grid did not raise on purpose (a server error).</summary>
    public static ApiErrorShape? Of(Exception error) => error switch
    {
        InvalidCompletionException invalid => new(400, "invalid_request_error", invalid.ErrorCode, invalid.Parameter, error.Message),
        UnknownAdapterException or UnknownBaseModelException => new(404, "invalid_request_error", "model_not_found", "model", error.Message),
        UnknownInferenceException => new(404, "invalid_request_error", "inference_not_found", null, error.Message),
        CompletionTimeoutException => new(504, "timeout", "timeout", null, error.Message),
        InsufficientDepositException => new(402, "insufficient_quota", "insufficient_deposit", null, error.Message),
        BudgetExceededException => new(429, "insufficient_quota", "budget_exceeded", null, error.Message),
        ServingOverloadedException overloaded => new(429, "rate_limit_error", overloaded.Code, null, error.Message, overloaded.RetryAfterSeconds),
        AgentLimitException limit => new(429, "rate_limit_error", limit.Code, null, error.Message, limit.RetryAfterSeconds),
        AgentKeyRejectedException { Code: "key_not_found" } => new(404, "invalid_request_error", "key_not_found", null, error.Message),
        AgentKeyRejectedException rejected => new(401, "invalid_request_error", rejected.Code, null, error.Message),
        StakeTooLowException => new(403, "permission_error", "stake_too_low", null, error.Message),
        AgentChallengeException challenge => new(400, "invalid_request_error", challenge.Code, "signature", error.Message),
        EconomyNotConfiguredException => new(503, "server_error", "economy_not_configured", null, error.Message),
        OpenLedgerException grid => new(500, "server_error", grid.Code, null, error.Message),
        _ => null,
    };
}
