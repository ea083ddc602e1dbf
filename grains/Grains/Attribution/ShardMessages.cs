using OpenLedger.Attribution.Influence;
using OpenLedger.Attribution.Spans;

namespace OpenLedger.Grains.Attribution;

/// <summary>
/// What an attribution asks of one shard: the inference's (preconditioned) gradient at each kept checkpoint, in the
/// index's order, its own Σ lr·v·H⁻¹v (for relative influence), and its output tokens for span matching. <see cref="IndexHash"/> pins the index both sides use.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ShardQuery")]
public sealed record ShardQuery(
    [property: Id(0)] string IndexHash,
    [property: Id(1)] IReadOnlyList<float[]> Checkpoints,
    [property: Id(2)] int TopK,
    [property: Id(3)] int[] Output,
    [property: Id(4)] int MinSpanTokens,
    [property: Id(5)] int MaxSpanSources,
    [property: Id(6)] double QueryNorm,
    [property: Id(7)] double MinRelevance);

/// <summary>A contributor's summed fixed-point influence in one shard (an Int128 as two halves).</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ContributorSum")]
public sealed record ContributorSum([property: Id(0)] string Contributor, [property: Id(1)] long Upper, [property: Id(2)] ulong Lower)
{
    /// <summary>The sum.</summary>
    public Int128 Value => new((ulong)Upper, Lower);

    /// <summary>Packs <paramref name="value"/>.</summary>
    public static ContributorSum Of(string contributor, Int128 value) => new(contributor, (long)(ulong)(value >> 64), (ulong)value);
}

/// <summary>An example of the shard's top-k with its fixed-point score.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ShardExample")]
public sealed record ShardExample(
    [property: Id(0)] long ExampleId,
    [property: Id(1)] string ContributionId,
    [property: Id(2)] string Contributor,
    [property: Id(3)] long Score);

/// <summary>A span maximal within the shard, and its first occurrences (example id, offset) in global order.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ShardSpan")]
public sealed record ShardSpan(
    [property: Id(0)] int Start,
    [property: Id(1)] int Length,
    [property: Id(2)] long Occurrences,
    [property: Id(3)] long[] SourceExamples,
    [property: Id(4)] int[] SourceOffsets);

/// <summary>
/// One shard's answer: per-contributor influence sums and local top-k (merging these is exact), its local maximal
/// spans and token count, and the provenance of every example it names.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ShardAnswer")]
public sealed record ShardAnswer(
    [property: Id(0)] IReadOnlyList<ContributorSum> Sums,
    [property: Id(1)] IReadOnlyList<ShardExample> Top,
    [property: Id(2)] IReadOnlyList<ShardSpan> Spans,
    [property: Id(3)] long CorpusTokens,
    [property: Id(4)] IReadOnlyList<ShardExample> SpanExamples)
{
    /// <summary>The influence part as the engine's result.</summary>
    public ShardResult Influence() => new(
        Sums.ToDictionary(s => s.Contributor, s => s.Value, StringComparer.Ordinal),
        Top.Select(t => new ScoredExample(new ExampleRef(t.ExampleId, t.ContributionId, t.Contributor), t.Score)).ToList());

    /// <summary>The span part as the engine's local spans.</summary>
    public LocalSpans LocalSpans() => new(
        Spans.Select(s => new LocalSpan(s.Start, s.Length, s.Occurrences,
            s.SourceExamples.Select((e, i) => new SpanSource(e, s.SourceOffsets[i])).ToList())).ToList(),
        CorpusTokens);
}
