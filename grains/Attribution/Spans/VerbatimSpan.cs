namespace OpenLedger.Attribution.Spans;

/// <summary>Where a span of the output occurs in the training data: shard, document, and offset in that document.</summary>
public sealed record SpanSource(int Shard, int Document, int Offset);

/// <summary>
/// A maximal stretch of an output, [<see cref="Start"/>, <see cref="Start"/> + <see cref="Length"/>) in output tokens,
/// that occurs verbatim in the training data <see cref="Occurrences"/> times. <see cref="Weight"/> grows with length
/// and rarity: length x ln(1 + corpus tokens / occurrences), so a long span found once outweighs a common phrase.
/// </summary>
public sealed record VerbatimSpan(int Start, int Length, long Occurrences, double Weight, IReadOnlyList<SpanSource> Sources);
