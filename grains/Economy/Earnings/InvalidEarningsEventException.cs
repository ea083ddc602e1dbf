namespace OpenLedger.Economy.Earnings;

/// <summary>An event with a malformed or impossible field: a negative or non-integer amount, a bad address, accruals that do not add up to the fee.</summary>
public sealed class InvalidEarningsEventException(string eventKey, string field, string? value, string problem)
    : EarningsException(eventKey,
        $"Earnings event {eventKey} was not applied: {field} '{value}' {problem}. Nothing was changed; fix the emitter and send the event again.")
{
    /// <summary>The offending field, e.g. <c>Accruals[2].Wei</c>.</summary>
    public string Field { get; } = field;

    /// <summary>The offending value as sent.</summary>
    public string? Value { get; } = value;

    /// <inheritdoc />
    public override string Code => "invalid_earnings_event";
}
