namespace OpenLedger.Attribution.Spans;

/// <summary>
/// Where a span of the output occurs in the training data: the global id of the training example and the token offset
/// in it. Ordered by example id, then offset; that order picks which sources a span lists, the same however the data
/// is sharded.
/// </summary>
public readonly record struct SpanSource(long ExampleId, int Offset) : IComparable<SpanSource>
{
    /// <summary>Orders by <see cref="ExampleId"/>, then <see cref="Offset"/>.</summary>
    public int CompareTo(SpanSource other)
    {
        var byExample = ExampleId.CompareTo(other.ExampleId);
        return byExample != 0 ? byExample : Offset.CompareTo(other.Offset);
    }
}

/// <summary>
/// A maximal stretch of an output, [<see cref="Start"/>, <see cref="Start"/> + <see cref="Length"/>) in output tokens,
/// that occurs verbatim in the training data <see cref="Occurrences"/> times. <see cref="Weight"/> grows with length
/// and rarity: length x ln(1 + corpus tokens / occurrences), so a long span found once outweighs a common phrase.
/// <see cref="Sources"/> are the lowest occurrences in <see cref="SpanSource"/> order, at most as many as asked for.
/// </summary>
public sealed record VerbatimSpan(int Start, int Length, long Occurrences, double Weight, IReadOnlyList<SpanSource> Sources);
