namespace OpenLedger.Attribution.Influence;

/// <summary>A training example and where it came from: its id in the training manifest, its contribution and contributor.</summary>
public sealed record ExampleRef(long ExampleId, string ContributionId, string Contributor);
