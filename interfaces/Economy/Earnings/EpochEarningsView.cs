namespace OpenLedger.Economy;

/// <summary>
/// One epoch as the read model knows it: the fees charged, what accrued to accounts, what was burned, the inferences
/// charged, and what was posted on-chain for accounts to claim (null until posted). Amounts in decimal wei.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.EpochEarningsView")]
public sealed record EpochEarningsView(
    [property: Id(0)] long Epoch,
    [property: Id(1)] string FeesWei,
    [property: Id(2)] string AccruedWei,
    [property: Id(3)] string BurnedWei,
    [property: Id(4)] long Inferences,
    [property: Id(5)] string? PostedWei);
