namespace OpenLedger.Model.Serving;

/// <summary>A request's deadline passed before it finished; what it produced until then was already streamed.</summary>
public sealed class DeadlineExceededException(TimeSpan waited)
    : TimeoutException($"The request's deadline passed after {waited.TotalMilliseconds:N0} ms; send a later deadline or fewer max_tokens.");
