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

    /// <summary>The HTTP form of an error the grid raised on purpose (<see cref="ApiErrorShape"/>); null for anything else (a server error).</summary>
    public static OpenAiError? From(Exception error) => ApiErrorShape.Of(error) is { } shape
        ? new(shape.Status, shape.Message, shape.Type, shape.Param, shape.Code) { RetryAfterSeconds = shape.RetryAfterSeconds }
        : null;

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
