namespace OpenLedger.Economy;

/// <summary>
/// What the earnings read model holds: inferences, accounts and accrual rows, the events it has applied, and the last
/// chain block it has read claims up to (0 before it reads any).
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.EarningsStatusView")]
public sealed record EarningsStatusView(
    [property: Id(0)] int Inferences,
    [property: Id(1)] int Accounts,
    [property: Id(2)] long AccrualRows,
    [property: Id(3)] long EventsApplied,
    [property: Id(4)] long ClaimsReadToBlock);
