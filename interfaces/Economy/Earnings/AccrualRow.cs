namespace OpenLedger.Economy;

/// <summary>
/// One row of the accruals table: one recipient's part of one charged inference. Role is Burn, Protocol,
/// ModelDeveloper or DataContributor; Wei is a decimal string of integer wei; the recipient of the burn is the zero address.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AccrualRow")]
public sealed record AccrualRow(
    [property: Id(0)] string InferenceId,
    [property: Id(1)] long Epoch,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Agent,
    [property: Id(4)] string? ModelId,
    [property: Id(5)] string? AdapterId,
    [property: Id(6)] string Recipient,
    [property: Id(7)] string Role,
    [property: Id(8)] string Wei,
    [property: Id(9)] string? DatanetId);
