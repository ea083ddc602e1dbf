using System.Diagnostics;
using OpenLedger.Attribution.Spans;

namespace OpenLedger.Benchmarks;

/// <summary>
/// The span-attribution index against the scan it replaces (ANCHORS.md: suffix array >= 100x a linear scan at 10^7
/// tokens, latency growing <= 1.5x per 10x corpus). Corpora of 10^6 and 10^7 tokens in documents of 50-500 tokens,
/// token ids drawn Zipf-like from GPT-2's vocabulary; queries are 8-token spans, half taken from the corpus, half random.
/// </summary>
public static class SpanIndexBench
{
    private const int PatternLength = 8;
    private const int IndexQueries = 400;
    private const int ScanQueries = 20;

    /// <summary>Runs both corpus sizes and returns the figures.</summary>
    public static IReadOnlyList<BenchFigure> Run()
    {
        var figures = new List<BenchFigure>();
        var latency = new Dictionary<int, double>();
        foreach (var exponent in new[] { 6, 7 })
        {
            var size = (int)Math.Pow(10, exponent);
            var random = new Random(exponent);
            var documents = Documents(random, size);
            var build = Stopwatch.StartNew();
            var index = SuffixArray.Build(TokenCorpus.From(documents));
            var buildSeconds = build.Elapsed.TotalSeconds;
            var stream = index.Corpus.Tokens;
            var patterns = Enumerable.Range(0, IndexQueries).Select(q => q % 2 == 0
                ? Slice(random, documents[random.Next(documents.Count)])
                : Enumerable.Range(0, PatternLength).Select(_ => random.Next(50257)).ToArray()).ToList();
            var indexed = BenchStatistics.Median(patterns.Select(p => Time(() => index.Count(p))));
            var scanned = BenchStatistics.Median(patterns.Take(ScanQueries).Select(p => Time(() => Scan(stream, p))));
            latency[exponent] = indexed;
            figures.Add(new BenchFigure($"10^{exponent} tokens: index build", buildSeconds, "s"));
            figures.Add(new BenchFigure($"10^{exponent} tokens: suffix array count p50", indexed * 1e6, "us"));
            figures.Add(new BenchFigure($"10^{exponent} tokens: linear scan count p50", scanned * 1e6, "us"));
            var speedup = scanned / indexed;
            figures.Add(exponent == 7
                ? new BenchFigure("suffix array / linear scan at 10^7 tokens", speedup, "x", ">= 100", speedup >= 100)
                : new BenchFigure("suffix array / linear scan at 10^6 tokens", speedup, "x"));
        }
        var growth = latency[7] / latency[6];
        figures.Add(new BenchFigure("suffix array latency, 10^7 / 10^6 tokens", growth, "x", "<= 1.5", growth <= 1.5));
        return figures;
    }

    private static List<int[]> Documents(Random random, int tokens)
    {
        var documents = new List<int[]>();
        var total = 0;
        while (total < tokens)
        {
            var length = Math.Min(random.Next(50, 501), tokens - total);
            // Zipf-like ids: frequent tokens repeat, as in text.
            documents.Add(Enumerable.Range(0, length).Select(_ => (int)(50257 * Math.Pow(random.NextDouble(), 3))).ToArray());
            total += length;
        }
        return documents;
    }

    private static int[] Slice(Random random, int[] document)
    {
        var start = random.Next(Math.Max(1, document.Length - PatternLength));
        return document.AsSpan(start, Math.Min(PatternLength, document.Length - start)).ToArray();
    }

    // Counts occurrences by comparing the pattern at every position: what an index-free search costs.
    private static int Scan(int[] stream, int[] pattern)
    {
        var count = 0;
        var span = stream.AsSpan();
        for (var i = 0; i + pattern.Length <= span.Length; i++)
        {
            if (span[i] == pattern[0] && span.Slice(i, pattern.Length).SequenceEqual(pattern))
            {
                count++;
            }
        }
        return count;
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }
}
