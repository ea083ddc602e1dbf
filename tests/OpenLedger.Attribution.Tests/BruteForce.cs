namespace OpenLedger.Attribution.Tests;

/// <summary>Reference answers by scanning every document position: slow and obviously right.</summary>
internal static class BruteForce
{
    public static int Count(IReadOnlyList<int[]> documents, int[] pattern) =>
        documents.Sum(d => Enumerable.Range(0, Math.Max(0, d.Length - pattern.Length + 1)).Count(p => d.AsSpan(p, pattern.Length).SequenceEqual(pattern)));

    /// <summary>For every output position, the longest prefix of the rest that occurs inside some document.</summary>
    public static int[] Longest(IReadOnlyList<int[]> documents, int[] output) =>
        Enumerable.Range(0, output.Length).Select(i =>
        {
            var best = 0;
            while (i + best < output.Length && Count(documents, output[i..(i + best + 1)]) > 0)
            {
                best++;
            }
            return best;
        }).ToArray();

    /// <summary>Random documents over a small alphabet, so repeats of every length are common.</summary>
    public static List<int[]> Documents(Random random, int count, int maxLength, int alphabet) =>
        Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, random.Next(1, maxLength)).Select(_ => random.Next(alphabet)).ToArray()).ToList();
}
