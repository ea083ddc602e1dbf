namespace OpenLedger.Attribution.Spans;

/// <summary>
/// Finds the maximal verbatim spans of an output in training data split over shards: for every output position the
/// longest match starting there (the most any shard has), kept where no span starting earlier contains it and it is
/// at least the minimum length. Documents never straddle shards, so the result is the same however the data is split.
/// </summary>
public static class SpanFinder
{
    /// <summary>
    /// The maximal spans of <paramref name="output"/> at least <paramref name="minLength"/> tokens long, each with its
    /// total occurrences and up to <paramref name="maxSources"/> places it occurs (in shard, then suffix order).
    /// </summary>
    public static IReadOnlyList<VerbatimSpan> Find(IReadOnlyList<int> output, IReadOnlyList<SuffixArray> shards, int minLength, int maxSources = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSources);
        if (shards.Count == 0)
        {
            throw new ArgumentException("Span attribution needs at least one indexed shard.");
        }
        var tokens = output.ToArray();
        var longest = new int[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            longest[i] = shards.Max(shard => LongestMatch(shard, tokens.AsSpan(i)));
        }
        var corpusTokens = shards.Sum(s => (long)s.Corpus.Tokens.Length - s.Corpus.Documents);
        var spans = new List<VerbatimSpan>();
        for (var i = 0; i < tokens.Length; i++)
        {
            // The match from i - 1 contains this one exactly when it reaches at least as far.
            var contained = i > 0 && longest[i - 1] >= longest[i] + 1;
            if (longest[i] < minLength || contained)
            {
                continue;
            }
            var pattern = tokens.AsSpan(i, longest[i]);
            long occurrences = 0;
            var sources = new List<SpanSource>();
            for (var s = 0; s < shards.Count; s++)
            {
                var shard = shards[s];
                var (start, end) = shard.Find(pattern);
                occurrences += end - start;
                for (var k = start; k < end && sources.Count < maxSources; k++)
                {
                    var position = shard.Suffixes[k];
                    var document = shard.Corpus.DocumentAt(position);
                    sources.Add(new SpanSource(s, document, position - shard.Corpus.Starts[document]));
                }
            }
            var weight = longest[i] * Math.Log(1 + ((double)corpusTokens / occurrences));
            spans.Add(new VerbatimSpan(i, longest[i], occurrences, weight, sources));
        }
        return spans;
    }

    // How many leading tokens of `pattern` occur somewhere in the shard.
    private static int LongestMatch(SuffixArray shard, ReadOnlySpan<int> pattern)
    {
        int start = 0, end = shard.Suffixes.Length, length = 0;
        while (length < pattern.Length)
        {
            var (narrowStart, narrowEnd) = shard.Narrow(start, end, length, pattern[..(length + 1)]);
            if (narrowStart >= narrowEnd)
            {
                break;
            }
            (start, end) = (narrowStart, narrowEnd);
            length++;
        }
        return length;
    }
}
