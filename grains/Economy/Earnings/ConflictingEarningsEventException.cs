namespace OpenLedger.Economy.Earnings;

/// <summary>
/// An event whose key was already applied with different content: an inference charged twice with different fees, or
/// an epoch posted twice with different amounts. The ledger never does that, so the first version stands.
/// </summary>
public sealed class ConflictingEarningsEventException(string eventKey, string difference)
    : EarningsException(eventKey,
        $"Earnings event {eventKey} was already applied with different content ({difference}). Nothing was changed; the first version stands. " +
        "Find the emitter that sent two versions: the ledger writes each inference, epoch and claim once.")
{
    /// <summary>How the second version differs from the first.</summary>
    public string Difference { get; } = difference;

    /// <inheritdoc />
    public override string Code => "conflicting_earnings_event";
}
