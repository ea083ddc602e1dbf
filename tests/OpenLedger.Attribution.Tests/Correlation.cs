namespace OpenLedger.Attribution.Tests;

/// <summary>Pearson's and Spearman's correlation coefficients.</summary>
internal static class Correlation
{
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

    /// <summary>Pearson's coefficient of the average ranks, so ties are handled.</summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b) =>
        Pearson(Ranking.AverageRanks(a), Ranking.AverageRanks(b));
}
