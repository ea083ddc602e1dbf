namespace OpenLedger.Economy;

/// <summary>An account's earnings in one epoch: accrued (decimal wei), posted (null until the epoch is posted), and the inferences that paid it.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AccountEpochView")]
public sealed record AccountEpochView(
    [property: Id(0)] long Epoch,
    [property: Id(1)] string AccruedWei,
    [property: Id(2)] string? PostedWei,
    [property: Id(3)] int Inferences);
