namespace OpenLedger.Attribution.Spans;

/// <summary>
/// Finds the maximal verbatim spans of an output in training data split over shards: for every output position the
/// longest match starting there (the most any shard has), kept where no span starting earlier contains it and it is
/// at least the minimum length. Each shard finds its own maximal spans (<see cref="FindLocal"/>) where it lives, and
/// one <see cref="Merge"/> of those answers gives exactly the spans, counts, weights and sources of one index over all
/// the data: documents never straddle shards and sources are chosen by global example id, so the result is the same
/// however the documents are split.
/// </summary>
public static class SpanFinder
{
    /// <summary>
    /// The maximal spans of <paramref name="output"/> in all <paramref name="shards"/>: <see cref="Merge"/> of each
    /// shard's <see cref="FindLocal"/>, for when every index is in this process.
    /// </summary>
    public static IReadOnlyList<VerbatimSpan> Find(
        IReadOnlyList<int> output, IReadOnlyList<(SuffixArray Index, IReadOnlyList<long> DocumentIds)> shards, int minLength, int maxSources = 16)
    {
        if (shards.Count == 0)
        {
            throw new ArgumentException("Span attribution needs at least one indexed shard.", nameof(shards));
        }
        var local = shards.Select(shard => FindLocal(output, shard.Index, shard.DocumentIds, minLength, maxSources)).ToList();
        return Merge(local, maxSources);
    }

    /// <summary>
    /// The spans of <paramref name="output"/> that are maximal within one shard and at least <paramref name="minLength"/>
    /// tokens long, each with its occurrences in the shard and up to <paramref name="maxSources"/> of them: the lowest
    /// (example id, offset) pairs, where document d of the shard is training example <paramref name="documentIds"/>[d].
    /// </summary>
    public static LocalSpans FindLocal(IReadOnlyList<int> output, SuffixArray shard, IReadOnlyList<long> documentIds, int minLength, int maxSources = 16)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(documentIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSources);
        var corpus = shard.Corpus;
        if (documentIds.Count != corpus.Documents)
        {
            throw new ArgumentException(
                $"The shard holds {corpus.Documents} documents but {documentIds.Count} document ids were given; pass one global example id per document, in corpus order.",
                nameof(documentIds));
        }
        var tokens = output.ToArray();
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] < 0)
            {
                // Negative ids are the corpus's document separators: matching one would join two documents.
                throw new ArgumentException($"Output token {i} has id {tokens[i]}; token ids must be non-negative.", nameof(output));
            }
        }
        var matches = new (int Length, int Start, int End)[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            matches[i] = LongestMatch(shard, tokens.AsSpan(i));
        }
        var spans = new List<LocalSpan>();
        for (var i = 0; i < tokens.Length; i++)
        {
            var (length, start, end) = matches[i];
            // The match from i - 1 contains this one exactly when it reaches at least as far.
            var contained = i > 0 && matches[i - 1].Length >= length + 1;
            if (length < minLength || contained)
            {
                continue;
            }
            spans.Add(new LocalSpan(i, length, end - start, LowestSources(shard, documentIds, start, end, maxSources)));
        }
        return new LocalSpans(spans, (long)corpus.Tokens.Length - corpus.Documents);
    }

    /// <summary>
    /// The maximal spans of the output over all shards from each shard's <see cref="FindLocal"/> answer (all for the same
    /// output and minimum length, with at least <paramref name="maxSources"/> sources each), in output order. Spans found
    /// by several shards are one span: occurrences add and the sources are the lowest <paramref name="maxSources"/> of them all.
    /// </summary>
    public static IReadOnlyList<VerbatimSpan> Merge(IReadOnlyList<LocalSpans> shards, int maxSources = 16)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSources);
        if (shards.Count == 0)
        {
            throw new ArgumentException("Span attribution needs at least one shard's local spans.", nameof(shards));
        }
        long corpusTokens = 0;
        var reported = new List<LocalSpan>();
        for (var s = 0; s < shards.Count; s++)
        {
            Check(shards[s], s, maxSources);
            corpusTokens += shards[s].CorpusTokens;
            reported.AddRange(shards[s].Spans);
        }
        // Why one round suffices. Let g(i) be the longest match at output position i over all shards and l_s(i) shard
        // s's own. (i, L) is maximal over the union when L = g(i) and g(i - 1) < L + 1.
        // - Every maximal union span was reported: some shard s has l_s(i) = L, and l_s(i - 1) <= g(i - 1) < L + 1, so
        //   (i, L) is maximal in s too. No reported span strictly contains it (that would make g(i) > L or
        //   g(i - 1) >= L + 1). And every shard where the span occurs at all has l_s(i) = L, so reported it with its
        //   count: the occurrences add up exactly, and the lowest sources of the union are among each shard's lowest.
        // - A reported span that is not maximal in the union lies inside a longer match (at i with g(i) > L, or at
        //   i - 1); the leftmost start reaching as far is a maximal union span, reported by the first point, and it
        //   strictly contains the span. So "reported and not strictly inside another reported span" is exactly
        //   "maximal in the union", whatever the split.
        reported.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var spans = new List<VerbatimSpan>();
        long reach = long.MinValue;   // the furthest end of any span starting before the current start
        for (var first = 0; first < reported.Count;)
        {
            var (start, length) = (reported[first].Start, reported[first].Length);
            // Spans at one start come longest first; shorter ones at that start are strictly inside it.
            var last = first;
            while (last < reported.Count && reported[last].Start == start && reported[last].Length == length)
            {
                last++;
            }
            var next = last;
            while (next < reported.Count && reported[next].Start == start)
            {
                next++;
            }
            if (reach < (long)start + length)
            {
                spans.Add(Combine(reported, first, last, corpusTokens, maxSources));
            }
            reach = Math.Max(reach, (long)start + length);
            first = next;
        }
        return spans;
    }

    private static VerbatimSpan Combine(List<LocalSpan> reported, int first, int last, long corpusTokens, int maxSources)
    {
        var (start, length) = (reported[first].Start, reported[first].Length);
        long occurrences = 0;
        var sources = new List<SpanSource>();
        for (var k = first; k < last; k++)
        {
            occurrences += reported[k].Occurrences;
            sources.AddRange(reported[k].Sources);
        }
        sources.Sort();
        for (var k = 1; k < sources.Count; k++)
        {
            if (sources[k] == sources[k - 1])
            {
                throw new ArgumentException(
                    $"Example {sources[k].ExampleId} is reported at offset {sources[k].Offset} twice (by two shards or two documents); every example id must belong to exactly one document of one shard.");
            }
        }
        var weight = length * Math.Log(1 + ((double)corpusTokens / occurrences));
        return new VerbatimSpan(start, length, occurrences, weight, sources.Take(maxSources).ToArray());
    }

    // A shard's answer must be one that FindLocal could have given, or the merge would be silently wrong.
    private static void Check(LocalSpans shard, int index, int maxSources)
    {
        if (shard.CorpusTokens < 0)
        {
            throw new ArgumentException($"Shard {index} claims {shard.CorpusTokens} corpus tokens; the count cannot be negative.");
        }
        var previous = -1;
        foreach (var span in shard.Spans)
        {
            if (span.Start <= previous || span.Length < 1 || span.Occurrences < 1 || span.Sources.Count > span.Occurrences)
            {
                throw new ArgumentException(
                    $"Shard {index} reports the span at {span.Start} (length {span.Length}, {span.Occurrences} occurrences, {span.Sources.Count} sources) out of order or malformed; pass FindLocal's answer unchanged.");
            }
            if (span.Sources.Count < Math.Min(span.Occurrences, maxSources))
            {
                throw new ArgumentException(
                    $"Shard {index} lists {span.Sources.Count} of the {span.Occurrences} occurrences of the span at {span.Start}; merging for {maxSources} sources needs every shard's FindLocal run with at least that many.");
            }
            previous = span.Start;
        }
    }

    // The lowest (example id, offset) pairs among the occurrences in suffix range [start, end): the whole range is read,
    // since suffix order says nothing about example ids. A bounded max-heap keeps the k lowest seen so far.
    private static SpanSource[] LowestSources(SuffixArray shard, IReadOnlyList<long> documentIds, int start, int end, int maxSources)
    {
        if (maxSources == 0)
        {
            return [];
        }
        var corpus = shard.Corpus;
        var suffixes = shard.Suffixes;
        var kept = new PriorityQueue<SpanSource, SpanSource>(Math.Min(maxSources, end - start), Comparer<SpanSource>.Create((a, b) => b.CompareTo(a)));
        for (var k = start; k < end; k++)
        {
            var position = suffixes[k];
            var document = corpus.DocumentAt(position);
            var source = new SpanSource(documentIds[document], position - corpus.Starts[document]);
            if (kept.Count < maxSources)
            {
                kept.Enqueue(source, source);
            }
            else if (source.CompareTo(kept.Peek()) < 0)
            {
                kept.DequeueEnqueue(source, source);
            }
        }
        var sources = kept.UnorderedItems.Select(item => item.Element).ToArray();
        Array.Sort(sources);
        return sources;
    }

    // How many leading tokens of `pattern` occur somewhere in the shard, and the suffix range where they do.
    private static (int Length, int Start, int End) LongestMatch(SuffixArray shard, ReadOnlySpan<int> pattern)
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
        return (length, start, end);
    }
}
