namespace OpenLedger.Economy;

/// <summary>
/// One inference behind an account's earnings: when and by what it was served, who paid, the account's role (Burn,
/// Protocol, ModelDeveloper or DataContributor) and wei, and for a data contributor the Datanet and contributions the
/// attribution credited. The attribution record with its evidence is at <c>/v1/attributions/{InferenceId}</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.EarningsInferenceView")]
public sealed record EarningsInferenceView(
    [property: Id(0)] string InferenceId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Agent,
    [property: Id(3)] string? ModelId,
    [property: Id(4)] string? AdapterId,
    [property: Id(5)] string Role,
    [property: Id(6)] string Wei,
    [property: Id(7)] string? DatanetId,
    [property: Id(8)] IReadOnlyList<string> ContributionIds);

/// <summary>One page of the inferences behind an account's earnings in an epoch, and how many there are in all.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.EarningsInferencePage")]
public sealed record EarningsInferencePage(
    [property: Id(0)] IReadOnlyList<EarningsInferenceView> Lines,
    [property: Id(1)] int Total);
