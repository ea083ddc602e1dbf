namespace OpenLedger.Economy.Earnings;

/// <summary>
/// An earnings event the index refused. The index is left exactly as it was: a refused event changes nothing, so the
/// emitter can fix it and send it again.
/// </summary>
public abstract class EarningsException : Exception
{
    /// <summary>Creates the error for the event named <paramref name="eventKey"/>.</summary>
    protected EarningsException(string eventKey, string message) : base(message)
    {
        EventKey = eventKey;
    }

    /// <summary>The refused event's key, e.g. <c>inference 7f3a</c>.</summary>
    public string EventKey { get; }

    /// <summary>A stable snake_case error code, e.g. <c>invalid_earnings_event</c>.</summary>
    public abstract string Code { get; }
}
