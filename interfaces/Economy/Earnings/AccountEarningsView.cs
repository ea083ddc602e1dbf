namespace OpenLedger.Economy;

/// <summary>
/// An account's earnings in decimal wei: accrued in charged inferences, posted on-chain in closed epochs, claimed from
/// the distributor, and claimable now (posted minus claimed).
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AccountEarningsView")]
public sealed record AccountEarningsView(
    [property: Id(0)] string Account,
    [property: Id(1)] string AccruedWei,
    [property: Id(2)] string PostedWei,
    [property: Id(3)] string ClaimedWei,
    [property: Id(4)] string ClaimableWei);
