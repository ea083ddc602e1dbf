namespace OpenLedger.Economy.Earnings;

/// <summary>One page of the inferences behind an account's epoch, oldest first, and how many there are in all.</summary>
public sealed record EarningsPage(IReadOnlyList<EarningsLine> Lines, int Total);
