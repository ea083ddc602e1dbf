namespace OpenLedger.Attribution.Influence;

/// <summary>An example and its fixed-point influence score.</summary>
public sealed record ScoredExample(ExampleRef Example, long Score);

/// <summary>
/// One shard's answer for one inference: every contributor's summed fixed-point influence and the shard's top
/// examples. Merging shard results gives exactly what one shard holding every example would.
/// </summary>
public sealed record ShardResult(IReadOnlyDictionary<string, Int128> ContributorSums, IReadOnlyList<ScoredExample> Top)
{
    /// <summary>
    /// Strongest first: by score, then by example id, so ties break the same way everywhere.
    /// </summary>
    public static IComparer<ScoredExample> Order { get; } = Comparer<ScoredExample>.Create((a, b) =>
        a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Example.ExampleId.CompareTo(b.Example.ExampleId));

    /// <summary>Combines shard results: sums add exactly; the top <paramref name="topK"/> are re-selected from the shards' tops.</summary>
    public static ShardResult Merge(IEnumerable<ShardResult> shards, int topK)
    {
        var sums = new Dictionary<string, Int128>(StringComparer.Ordinal);
        var candidates = new List<ScoredExample>();
        foreach (var shard in shards)
        {
            foreach (var (contributor, sum) in shard.ContributorSums)
            {
                sums[contributor] = sums.GetValueOrDefault(contributor) + sum;
            }
            candidates.AddRange(shard.Top);
        }
        candidates.Sort(Order);
        return new ShardResult(sums, candidates.Take(topK).ToList());
    }
}
