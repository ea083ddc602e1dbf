namespace OpenLedger.Model.Training;

/// <summary>
/// Where one training example came from: record <paramref name="RecordIndex"/> of contribution
/// <paramref name="ContributionId"/> by <paramref name="Contributor"/>, in snapshot <paramref name="Snapshot"/> of a Datanet.
/// Attribution follows this link from an example's influence back to the contributor.
/// </summary>
public sealed record ExampleSource(string DatanetId, int Snapshot, string ContributionId, string Contributor, int RecordIndex);

/// <summary>A tokenized training example and its provenance.</summary>
public sealed record TrainingExample(IReadOnlyList<int> Tokens, ExampleSource Source);
