namespace OpenLedger.Testing;

/// <summary>
/// Correlation and rank statistics the attribution tests and benchmarks judge scores by: Pearson, Spearman with tied
/// values sharing their mean rank, and the area under the ROC curve.
/// </summary>
public static class RankStatistics
{
    /// <summary>1-based ranks in ascending order; tied values share the mean of the ranks they span.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }
            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    /// <summary>Pearson's coefficient; NaN when either series is constant.</summary>
    public static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count || a.Count < 2)
        {
            throw new ArgumentException($"Correlation needs two series of the same length, at least 2; got {a.Count} and {b.Count}.");
        }
        var meanA = a.Average();
        var meanB = b.Average();
        double cross = 0, squaresA = 0, squaresB = 0;
        for (var i = 0; i < a.Count; i++)
        {
            cross += (a[i] - meanA) * (b[i] - meanB);
            squaresA += (a[i] - meanA) * (a[i] - meanA);
            squaresB += (b[i] - meanB) * (b[i] - meanB);
        }
        return cross / Math.Sqrt(squaresA * squaresB);
    }

    /// <summary>Spearman's coefficient: Pearson's of the average ranks, so ties are handled.</summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b) =>
        Pearson(AverageRanks(a), AverageRanks(b));

    /// <summary>
    /// The probability that a random positive scores above a random negative (ties count half): the Mann-Whitney
    /// statistic over average ranks.
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var ranks = AverageRanks(scores);
        var positives = positive.Count(p => p);
        var negatives = positive.Count - positives;
        var rankSum = Enumerable.Range(0, scores.Count).Where(i => positive[i]).Sum(i => ranks[i]);
        return (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
