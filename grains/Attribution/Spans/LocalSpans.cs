namespace OpenLedger.Attribution.Spans;

/// <summary>
/// A span of the output that is maximal within one shard: [<see cref="Start"/>, <see cref="Start"/> +
/// <see cref="Length"/>) occurs <see cref="Occurrences"/> times in the shard; <see cref="Sources"/> are the shard's
/// lowest occurrences in <see cref="SpanSource"/> order.
/// </summary>
public sealed record LocalSpan(int Start, int Length, long Occurrences, IReadOnlyList<SpanSource> Sources);

/// <summary>
/// One shard's answer for an output, to be merged with the other shards' by <see cref="SpanFinder.Merge"/>: its
/// maximal spans in output order and its real token count (separators not counted).
/// </summary>
public sealed record LocalSpans(IReadOnlyList<LocalSpan> Spans, long CorpusTokens);
