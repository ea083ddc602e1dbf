namespace OpenLedger.Attribution.Spans;

/// <summary>
/// Suffix sorting by prefix doubling: suffixes ranked by their first k tokens are re-ranked by their first 2k with
/// two stable counting sorts on (rank[i], rank[i + k]), until every rank is distinct. Linear work per round and few
/// rounds on natural text (log2 of the longest repeated span).
/// </summary>
internal static class PrefixDoubling
{
    public static int[] Sort(int[] tokens)
    {
        var n = tokens.Length;
        var suffixes = new int[n];
        var rank = new int[n];
        var next = new int[n];
        var buffer = new int[n];
        // Initial ranks: each token's place among the distinct token values (separators are negative, so they come first).
        var distinct = tokens.Distinct().Order().ToArray();
        for (var i = 0; i < n; i++)
        {
            rank[i] = Array.BinarySearch(distinct, tokens[i]) + 1;   // 0 is kept for "past the end"
        }
        var classes = distinct.Length + 1;
        for (var i = 0; i < n; i++)
        {
            suffixes[i] = i;
        }
        CountingSort(suffixes, buffer, i => rank[i], classes);
        for (var k = 1; ; k <<= 1)
        {
            var step = k;
            int Second(int i) => i + step < n ? rank[i + step] : 0;
            // Sort by the second key, then stably by the first: the pair order.
            CountingSort(suffixes, buffer, Second, classes);
            CountingSort(suffixes, buffer, i => rank[i], classes);
            next[suffixes[0]] = 1;
            var count = 1;
            for (var j = 1; j < n; j++)
            {
                var (a, b) = (suffixes[j - 1], suffixes[j]);
                if (rank[a] != rank[b] || Second(a) != Second(b))
                {
                    count++;
                }
                next[b] = count;
            }
            (rank, next) = (next, rank);
            if (count == n)
            {
                return suffixes;
            }
            classes = count + 1;
        }
    }

    private static void CountingSort(int[] items, int[] buffer, Func<int, int> key, int classes)
    {
        var counts = new int[classes + 1];
        foreach (var item in items)
        {
            counts[key(item) + 1]++;
        }
        for (var c = 1; c <= classes; c++)
        {
            counts[c] += counts[c - 1];
        }
        foreach (var item in items)
        {
            buffer[counts[key(item)]++] = item;
        }
        buffer.AsSpan().CopyTo(items);
    }
}
