namespace OpenLedger.Attribution.Spans;

/// <summary>
/// The suffixes of a <see cref="TokenCorpus"/> in sorted order, so any token sequence is found by binary search:
/// its occurrences are one contiguous range of the array. Built by prefix doubling with radix sorts, O(n log L)
/// for a longest repeat L; eight bytes per token with the tokens themselves.
/// </summary>
public sealed class SuffixArray
{
    private readonly int[] _suffixes;

    private SuffixArray(TokenCorpus corpus, int[] suffixes)
    {
        Corpus = corpus;
        _suffixes = suffixes;
    }

    /// <summary>The indexed corpus.</summary>
    public TokenCorpus Corpus { get; }

    /// <summary>Suffix start positions in sorted order.</summary>
    public ReadOnlySpan<int> Suffixes => _suffixes;

    /// <summary>Indexes <paramref name="corpus"/>.</summary>
    public static SuffixArray Build(TokenCorpus corpus) => new(corpus, PrefixDoubling.Sort(corpus.Tokens));

    /// <summary>Rebuilds an index from a stored corpus and suffix order (see <see cref="SuffixArrayFile"/>).</summary>
    public static SuffixArray FromParts(TokenCorpus corpus, int[] suffixes) => new(corpus, suffixes);

    /// <summary>The range [start, end) of suffixes that begin with <paramref name="pattern"/> (empty when it never occurs).</summary>
    public (int Start, int End) Find(ReadOnlySpan<int> pattern)
    {
        if (pattern.IsEmpty)
        {
            throw new ArgumentException("The pattern is empty; every position would match it.");
        }
        return Narrow(0, _suffixes.Length, 0, pattern);
    }

    /// <summary>How many times <paramref name="pattern"/> occurs in the corpus.</summary>
    public int Count(ReadOnlySpan<int> pattern)
    {
        var (start, end) = Find(pattern);
        return end - start;
    }

    /// <summary>
    /// Narrows [<paramref name="start"/>, <paramref name="end"/>), whose suffixes all share the first
    /// <paramref name="depth"/> tokens of <paramref name="pattern"/>, to those that match it entirely: one token per
    /// binary search, so extending a match one token at a time costs O(log n) per token.
    /// </summary>
    public (int Start, int End) Narrow(int start, int end, int depth, ReadOnlySpan<int> pattern)
    {
        var tokens = Corpus.Tokens;
        for (var d = depth; d < pattern.Length && start < end; d++)
        {
            var token = pattern[d];
            // First suffix in range whose token at d is >= token, then first whose token at d is > token.
            int lo = start, hi = end;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (TokenAt(tokens, _suffixes[mid] + d) < token)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            var first = lo;
            hi = end;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (TokenAt(tokens, _suffixes[mid] + d) <= token)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            (start, end) = (first, lo);
        }
        return (start, end);
    }

    // Past the end of the stream sorts before every token (the shorter suffix comes first).
    private static int TokenAt(int[] tokens, int position) => position < tokens.Length ? tokens[position] : int.MinValue;
}
