namespace OpenLedger.Attribution;

/// <summary>Where an inference's attribution stands.</summary>
[GenerateSerializer, Alias("OpenLedger.AttributionStatus")]
public enum AttributionStatus
{
    /// <summary>Accepted and queued; the record fills in when it is computed.</summary>
    Pending,

    /// <summary>Computed: shares and evidence are final.</summary>
    Complete,

    /// <summary>The answer came from an adapter with no attribution index (uploaded files, not a model trained here).</summary>
    NotAttributable,

    /// <summary>Computing it failed; <see cref="AttributionRecord.Error"/> says why.</summary>
    Failed,
}

/// <summary>A contributor's share of one inference, and the evidence behind it.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AttributedContributor")]
public sealed record AttributedContributor(
    [property: Id(0)] string Contributor,
    [property: Id(1)] long PartsPerBillion,
    [property: Id(2)] double Influence,
    [property: Id(3)] double SpanWeight);

/// <summary>A training example among the inference's most influential, with the contribution it came from.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.InfluentialExample")]
public sealed record InfluentialExample(
    [property: Id(0)] long ExampleId,
    [property: Id(1)] string ContributionId,
    [property: Id(2)] string Contributor,
    [property: Id(3)] double Score);

/// <summary>Where a verbatim span occurs in the training data.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SpanOccurrence")]
public sealed record SpanOccurrence(
    [property: Id(0)] long ExampleId,
    [property: Id(1)] int Offset,
    [property: Id(2)] string ContributionId,
    [property: Id(3)] string Contributor);

/// <summary>
/// A stretch of the output found verbatim in the training data: characters [<see cref="Start"/>, <see cref="End"/>)
/// of the output text, its length in tokens, how often it occurs and where (the first few places).
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AttributedSpan")]
public sealed record AttributedSpan(
    [property: Id(0)] int Start,
    [property: Id(1)] int End,
    [property: Id(2)] string Text,
    [property: Id(3)] int Tokens,
    [property: Id(4)] long Occurrences,
    [property: Id(5)] double Weight,
    [property: Id(6)] IReadOnlyList<SpanOccurrence> Sources);

/// <summary>An artifact an attribution was computed from, and its keccak256 hash.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ArtifactHash")]
public sealed record ArtifactHash(
    [property: Id(0)] string Name,
    [property: Id(1)] string Hash);

/// <summary>
/// The attribution of one inference: contributors and their shares (parts per billion, summing to exactly one
/// billion when anyone is attributed), the evidence (most influential examples, verbatim spans with positions), the
/// method and the hashes of the artifacts it was computed from, so anyone holding them can recompute the same bits.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AttributionRecord")]
public sealed record AttributionRecord(
    [property: Id(0)] string InferenceId,
    [property: Id(1)] AttributionStatus Status,
    [property: Id(2)] string? ModelId,
    [property: Id(3)] string? AdapterId,
    [property: Id(4)] string Prompt,
    [property: Id(5)] string Output,
    [property: Id(6)] IReadOnlyList<AttributedContributor> Contributors,
    [property: Id(7)] IReadOnlyList<InfluentialExample> TopExamples,
    [property: Id(8)] IReadOnlyList<AttributedSpan> Spans,
    [property: Id(9)] string Method,
    [property: Id(10)] string? IndexHash,
    [property: Id(11)] IReadOnlyList<ArtifactHash> Artifacts,
    [property: Id(12)] int Shards,
    [property: Id(13)] double ElapsedMs,
    [property: Id(14)] DateTimeOffset? ComputedAt,
    [property: Id(15)] string? Error)
{
    /// <summary>
    /// The ledger epoch the inference was charged in, once it was; its record is then in that epoch's batch anchored
    /// on-chain. Not part of the record's hash, since it is set after the record is final.
    /// </summary>
    [Id(16)] public long? Epoch { get; init; }
}
