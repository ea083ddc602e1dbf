namespace OpenLedger.Economy;

/// <summary>The wei under one key (a Datanet, model, adapter or agent), over all epochs (Epoch null) or one, and the inferences behind it.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.EarningsTotalView")]
public sealed record EarningsTotalView(
    [property: Id(0)] EarningsGrouping Grouping,
    [property: Id(1)] string Key,
    [property: Id(2)] long? Epoch,
    [property: Id(3)] string Wei,
    [property: Id(4)] long Inferences);
