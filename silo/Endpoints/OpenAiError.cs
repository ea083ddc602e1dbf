using OpenLedger.Errors;

namespace OpenLedger.Silo.Endpoints;

/// <summary>An error in OpenAI's shape: <c>{"error": {"message", "type", "param", "code"}}</c> with its HTTP status.</summary>
public sealed record OpenAiError(int Status, string Message, string Type, string? Param, string? Code)
{
    /// <summary>Seconds after which the same request can succeed, sent as <c>Retry-After</c>; null when waiting will not help.</summary>
    public double? RetryAfterSeconds { get; init; }

    /// <summary>The body as OpenAI's clients expect it.</summary>
    public object Body => new { error = new { message = Message, type = Type, param = Param, code = Code } };

    /// <summary>A 400 for a request the API cannot accept as sent.</summary>
    public static OpenAiError Invalid(string message, string? param, string code = "invalid_value") =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    /// <summary>A 401 for a request without an accepted agent key; <paramref name="message"/> says why.</summary>
    public static OpenAiError Unauthorized(string message) =>
        new(StatusCodes.Status401Unauthorized, message, "invalid_request_error", null, "invalid_api_key");

    /// <summary>The HTTP form of an error the grid raised on purpose; null for anything else (a server error).</summary>
    public static OpenAiError? From(Exception error) => error switch
    {
        InvalidCompletionException invalid => Invalid(invalid.Message, invalid.Parameter, invalid.ErrorCode),
        UnknownAdapterException or UnknownBaseModelException =>
            new(StatusCodes.Status404NotFound, error.Message, "invalid_request_error", "model", "model_not_found"),
        UnknownInferenceException => new(StatusCodes.Status404NotFound, error.Message, "invalid_request_error", null, "inference_not_found"),
        CompletionTimeoutException => new(StatusCodes.Status504GatewayTimeout, error.Message, "timeout", null, "timeout"),
        InsufficientDepositException => new(StatusCodes.Status402PaymentRequired, error.Message, "insufficient_quota", null, "insufficient_deposit"),
        BudgetExceededException => new(StatusCodes.Status429TooManyRequests, error.Message, "insufficient_quota", null, "budget_exceeded"),
        AgentLimitException limit => new(StatusCodes.Status429TooManyRequests, error.Message, "rate_limit_error", null, limit.Code) { RetryAfterSeconds = limit.RetryAfterSeconds },
        AgentKeyRejectedException { Code: "key_not_found" } => new(StatusCodes.Status404NotFound, error.Message, "invalid_request_error", null, "key_not_found"),
        AgentKeyRejectedException rejected => new(StatusCodes.Status401Unauthorized, error.Message, "invalid_request_error", null, rejected.Code),
        StakeTooLowException => new(StatusCodes.Status403Forbidden, error.Message, "permission_error", null, "stake_too_low"),
        AgentChallengeException challenge => Invalid(challenge.Message, "signature", challenge.Code),
        EconomyNotConfiguredException => new(StatusCodes.Status503ServiceUnavailable, error.Message, "server_error", null, "economy_not_configured"),
        OpenLedgerException grid => new(StatusCodes.Status500InternalServerError, grid.Message, "server_error", null, grid.Code),
        _ => null,
    };

    /// <summary>A server error that names nothing internal.</summary>
    public static OpenAiError Server(string requestId) =>
        new(StatusCodes.Status500InternalServerError, $"The grid failed to serve request {requestId}; the silo log has the details.", "server_error", null, "server_error");

    /// <summary>Writes the error as the response.</summary>
    public IResult ToResult() => RetryAfterSeconds is { } seconds
        ? new WithRetryAfter(Results.Json(Body, statusCode: Status), seconds)
        : Results.Json(Body, statusCode: Status);

    // Retry-After takes whole seconds; rounding up never invites a retry that is bound to fail.
    private sealed class WithRetryAfter(IResult inner, double seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(seconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
