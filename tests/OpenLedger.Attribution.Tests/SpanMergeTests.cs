using OpenLedger.Attribution.Spans;

namespace OpenLedger.Attribution.Tests;

/// <summary>
/// Span finding split into a per-shard local step and one merge: the same spans, counts, weights (to the bit) and
/// sources as one index over all the data and as a brute-force scan, for any split of the documents into shards.
/// </summary>
public sealed class SpanMergeTests
{
    private static readonly int[] _sourceLimits = [0, 1, 3, 1000];

    [Theory]
    [InlineData(1, 1, 3)]
    [InlineData(2, 2, 3)]
    [InlineData(3, 3, 4)]
    [InlineData(4, 5, 2)]
    [InlineData(5, 5, 5)]
    public void Local_spans_merged_equal_one_index_and_a_brute_force_scan_for_any_split(int seed, int shardCount, int alphabet)
    {
        var random = new Random(seed);
        var docs = BruteForce.Documents(random, 60, 40, alphabet);
        var ids = DistinctIds(random, docs.Count);
        var whole = (SuffixArray.Build(TokenCorpus.From(docs)), (IReadOnlyList<long>)ids);
        for (var trial = 0; trial < 25; trial++)
        {
            // A fresh random split each trial: shards of any size, documents in any order, ids not contiguous.
            var shards = Split(random, docs, ids, shardCount);
            var output = Output(random, docs, alphabet);
            var minLength = random.Next(1, 6);
            var maxSources = _sourceLimits[random.Next(_sourceLimits.Length)];

            var one = SpanFinder.Find(output, [whole], minLength, maxSources);
            var local = shards.Select(s => SpanFinder.FindLocal(output, s.Index, s.DocumentIds, minLength, maxSources)).ToList();
            var merged = SpanFinder.Merge(local, maxSources);
            var reordered = SpanFinder.Merge(local.OrderBy(_ => random.Next()).ToList(), maxSources);
            var sharded = SpanFinder.Find(output, shards, minLength, maxSources);

            var expected = Describe(Expected(docs, ids, output, minLength, maxSources));
            Assert.Equal(expected, Describe(one));
            Assert.Equal(expected, Describe(merged));
            Assert.Equal(expected, Describe(reordered));
            Assert.Equal(expected, Describe(sharded));
            Assert.Equal(docs.Sum(d => (long)d.Length), local.Sum(l => l.CorpusTokens));
        }
    }

    [Fact]
    public void A_span_found_in_several_shards_adds_its_occurrences_and_keeps_the_lowest_sources()
    {
        var a = Shard([[5, 6, 7]], 50);
        var b = Shard([[0, 5, 6, 7, 5, 6, 7]], 3);
        int[] output = [5, 6, 7];

        var local = new[] { a, b }.Select(s => SpanFinder.FindLocal(output, s.Index, s.DocumentIds, minLength: 2, maxSources: 2)).ToList();
        var span = Assert.Single(SpanFinder.Merge(local, maxSources: 2));

        Assert.Equal((0, 3, 3L), (span.Start, span.Length, span.Occurrences));
        Assert.Equal([new SpanSource(3, 1), new SpanSource(3, 4)], span.Sources);
        Assert.Equal(3 * Math.Log(1 + (10.0 / 3)), span.Weight);
        Assert.Equal([new SpanSource(50, 0)], local[0].Spans[0].Sources);
    }

    [Fact]
    public void A_local_span_inside_another_shards_longer_span_is_dropped()
    {
        var a = Shard([[1, 2, 3, 4]], 9);
        var b = Shard([[2, 3, 8]], 4);
        int[] output = [1, 2, 3, 4];

        var fromB = SpanFinder.FindLocal(output, b.Index, b.DocumentIds, minLength: 2);
        var fromA = SpanFinder.FindLocal(output, a.Index, a.DocumentIds, minLength: 2);
        var spans = SpanFinder.Merge([fromB, fromA]);

        Assert.Equal((1, 2), (fromB.Spans[0].Start, fromB.Spans[0].Length));
        var span = Assert.Single(spans);
        Assert.Equal((0, 4, 1L), (span.Start, span.Length, span.Occurrences));
        Assert.Equal([new SpanSource(9, 0)], span.Sources);
    }

    [Fact]
    public void Spans_reach_the_end_of_the_output_and_never_past_a_document()
    {
        var a = Shard([[1, 2, 3, 4]], 100);
        var b = Shard([[3, 4, 5]], 7);
        int[] output = [9, 1, 2, 3, 4, 5];

        var spans = SpanFinder.Find(output, [a, b], minLength: 2);

        Assert.Equal([(1, 4, 1L), (3, 3, 1L)], spans.Select(s => (s.Start, s.Length, s.Occurrences)));
        Assert.Equal([new SpanSource(100, 0)], spans[0].Sources);
        Assert.Equal([new SpanSource(7, 0)], spans[1].Sources);
        Assert.Equal(3 * Math.Log(1 + (7.0 / 1)), spans[1].Weight);
    }

    [Fact]
    public void An_output_longer_than_every_document_matches_each_document_whole()
    {
        var random = new Random(21);
        var docs = BruteForce.Documents(random, 12, 15, 3);
        var ids = DistinctIds(random, docs.Count);
        var output = docs.SelectMany(d => d).ToArray();
        var shards = Split(random, docs, ids, 3);

        foreach (var minLength in new[] { 1, 2, 7, 100 })
        {
            var spans = SpanFinder.Find(output, shards, minLength, maxSources: 4);

            Assert.Equal(Describe(Expected(docs, ids, output, minLength, 4)), Describe(spans));
            Assert.All(spans, s => Assert.True(s.Length <= docs.Max(d => d.Length)));
        }
        Assert.Empty(SpanFinder.Find(output, shards, docs.Max(d => d.Length) + 1));
    }

    [Fact]
    public void No_sources_asked_still_counts_every_occurrence()
    {
        var shard = Shard([[1, 2, 1, 2], [1, 2]], 40);

        var spans = SpanFinder.Find([1, 2], [shard], minLength: 1, maxSources: 0);

        var span = Assert.Single(spans);
        Assert.Equal(3, span.Occurrences);
        Assert.Empty(span.Sources);
    }

    [Fact]
    public void An_empty_output_has_no_spans_but_the_shard_still_counts_its_tokens()
    {
        var shard = Shard([[1, 2, 3], [], [4]], 0);

        var local = SpanFinder.FindLocal([], shard.Index, shard.DocumentIds, minLength: 1);

        Assert.Empty(local.Spans);
        Assert.Equal(4, local.CorpusTokens);
        Assert.Empty(SpanFinder.Merge([local]));
        Assert.Empty(SpanFinder.Find([], [shard], minLength: 1));
    }

    [Fact]
    public void Bad_arguments_are_refused_with_what_to_do()
    {
        var shard = Shard([[1, 2, 3], [2, 3]], 10);
        var index = shard.Index;

        Assert.Contains("2 documents but 3 document ids", Assert.Throws<ArgumentException>(() => SpanFinder.FindLocal([1, 2], index, [1, 2, 3], 1)).Message);
        Assert.Contains("id -2", Assert.Throws<ArgumentException>(() => SpanFinder.FindLocal([1, -2], index, [1, 2], 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpanFinder.FindLocal([1, 2], index, [1, 2], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpanFinder.FindLocal([1, 2], index, [1, 2], 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpanFinder.Merge([new LocalSpans([], 5)], -1));
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => SpanFinder.Find([1], [], 1)).Message);
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => SpanFinder.Merge([])).Message);

        var fewSources = SpanFinder.FindLocal([2, 3], index, [1, 2], 1, maxSources: 1);
        Assert.Contains("at least that many", Assert.Throws<ArgumentException>(() => SpanFinder.Merge([fewSources], 2)).Message);
        Assert.Single(SpanFinder.Merge([fewSources], 1));

        var twice = Shard([[9, 2, 3]], 11);
        var sameId = SpanFinder.FindLocal([2, 3], twice.Index, [1], 1);
        var first = SpanFinder.FindLocal([2, 3], index, [1, 2], 1);
        Assert.Contains("Example 1", Assert.Throws<ArgumentException>(() => SpanFinder.Merge([first, sameId])).Message);

        var outOfOrder = new LocalSpans([new LocalSpan(3, 2, 1, [new SpanSource(1, 0)]), new LocalSpan(1, 2, 1, [new SpanSource(1, 0)])], 10);
        Assert.Contains("out of order", Assert.Throws<ArgumentException>(() => SpanFinder.Merge([outOfOrder])).Message);
    }

    // The maximal spans by scanning every document position; sources are all occurrences in (id, offset) order.
    private static List<VerbatimSpan> Expected(List<int[]> docs, long[] ids, int[] output, int minLength, int maxSources)
    {
        var longest = BruteForce.Longest(docs, output);
        var corpusTokens = docs.Sum(d => (long)d.Length);
        return Enumerable.Range(0, output.Length)
            .Where(i => longest[i] >= minLength && (i == 0 || longest[i - 1] < longest[i] + 1))
            .Select(i =>
            {
                var pattern = output[i..(i + longest[i])];
                var sources = docs.SelectMany((d, k) => Enumerable.Range(0, Math.Max(0, d.Length - pattern.Length + 1))
                    .Where(p => d.AsSpan(p, pattern.Length).SequenceEqual(pattern))
                    .Select(p => new SpanSource(ids[k], p))).Order().ToList();
                long occurrences = sources.Count;
                var weight = longest[i] * Math.Log(1 + ((double)corpusTokens / occurrences));
                return new VerbatimSpan(i, longest[i], occurrences, weight, sources.Take(maxSources).ToList());
            }).ToList();
    }

    // Weights compared by their bits: the merge must not change a single one.
    private static List<(int, int, long, long, string)> Describe(IEnumerable<VerbatimSpan> spans) =>
        spans.Select(s => (s.Start, s.Length, s.Occurrences, BitConverter.DoubleToInt64Bits(s.Weight), string.Join(" ", s.Sources.Select(x => $"{x.ExampleId}@{x.Offset}")))).ToList();

    private static long[] DistinctIds(Random random, int count)
    {
        var ids = new HashSet<long>();
        while (ids.Count < count)
        {
            ids.Add(random.NextInt64(-1L << 40, 1L << 40));
        }
        return [.. ids];
    }

    // Every shard gets at least one document; the rest go anywhere, in shuffled order.
    private static List<(SuffixArray Index, IReadOnlyList<long> DocumentIds)> Split(Random random, List<int[]> docs, long[] ids, int shardCount)
    {
        var order = Enumerable.Range(0, docs.Count).OrderBy(_ => random.Next()).ToList();
        var members = Enumerable.Range(0, shardCount).Select(_ => new List<int>()).ToList();
        for (var k = 0; k < order.Count; k++)
        {
            members[k < shardCount ? k : random.Next(shardCount)].Add(order[k]);
        }
        return members.Select(m => (SuffixArray.Build(TokenCorpus.From(m.Select(d => (IReadOnlyList<int>)docs[d]))), (IReadOnlyList<long>)m.Select(d => ids[d]).ToArray())).ToList();
    }

    // Pieces of training documents and some noise, including tokens no document holds.
    private static int[] Output(Random random, List<int[]> docs, int alphabet) =>
        Enumerable.Range(0, random.Next(0, 5)).SelectMany(_ => random.Next(3) == 0
            ? Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(alphabet + 2))
            : Slice(random, docs[random.Next(docs.Count)])).ToArray();

    private static (SuffixArray Index, IReadOnlyList<long> DocumentIds) Shard(int[][] documents, long firstId) =>
        (SuffixArray.Build(TokenCorpus.From(documents)), Enumerable.Range(0, documents.Length).Select(d => firstId + d).ToArray());

    private static int[] Slice(Random random, int[] document)
    {
        var start = random.Next(document.Length);
        return document[start..random.Next(start + 1, document.Length + 1)];
    }
}
