namespace OpenLedger.Attribution.Tests;

/// <summary>Rank statistics: average ranks for ties, and the area under the ROC curve from them.</summary>
internal static class Ranking
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
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

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
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
