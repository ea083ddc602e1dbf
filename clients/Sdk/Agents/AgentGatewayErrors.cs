using OpenLedger.Client.OpenAi;
using Grid = OpenLedger.Errors;

namespace OpenLedger.Client.Agents;

/// <summary>
/// The grid's errors, as grain calls throw them, in the form an HTTP agent sees them: one shape for both doors
/// (<see cref="Grid.ApiErrorShape"/>), so code handling refusals works over either.
/// </summary>
internal static class AgentGatewayErrors
{
    /// <summary>The client-side exception for <paramref name="error"/>, or null for one the grid did not raise on purpose.</summary>
    public static OpenAiApiException? Translate(Exception error) => Grid.ApiErrorShape.Of(error) is { } shape
        ? AgentErrors.Create(shape.Status, shape.Type, shape.Code, shape.Param, shape.Message,
            shape.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null)
        : null;

    /// <summary>Whether <paramref name="error"/> refused the call before any work, and how long to wait before sending it again.</summary>
    public static TimeSpan? RetryDelay(Exception error, AgentClientOptions options, int attempt, bool idempotent) => error switch
    {
        _ when attempt >= options.MaxRetries => null,
        Grid.AgentLimitException limit => AgentBackoff.AsAsked(options, TimeSpan.FromSeconds(limit.RetryAfterSeconds)),
        Grid.ServingOverloadedException overloaded => AgentBackoff.AsAsked(options, TimeSpan.FromSeconds(overloaded.RetryAfterSeconds)),
        // The gateway could not reach a silo: a read may be sent again, anything else may have been done.
        SiloUnavailableException or Orleans.Runtime.Messaging.ConnectionFailedException when idempotent => AgentBackoff.Exponential(options, attempt),
        _ => null,
    };

}
