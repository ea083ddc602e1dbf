namespace OpenLedger.Benchmarks;

/// <summary>Spearman's rank correlation: how well one scoring orders items the way another does.</summary>
public static class RankCorrelation
{
    /// <summary>Spearman's rho of <paramref name="x"/> and <paramref name="y"/> (ties share their mean rank); NaN when either is constant.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Spearman needs paired values; got {x.Count} and {y.Count}.");
        }
        return Pearson(Ranks(x), Ranks(y));
    }

    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var first = 0; first < order.Length;)
        {
            var last = first;
            while (last + 1 < order.Length && values[order[last + 1]] == values[order[first]])
            {
                last++;
            }
            for (var k = first; k <= last; k++)
            {
                ranks[order[k]] = (first + last) / 2.0;
            }
            first = last + 1;
        }
        return ranks;
    }

    private static double Pearson(double[] x, double[] y)
    {
        var (meanX, meanY) = (x.Average(), y.Average());
        double cross = 0, squaresX = 0, squaresY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            cross += (x[i] - meanX) * (y[i] - meanY);
            squaresX += (x[i] - meanX) * (x[i] - meanX);
            squaresY += (y[i] - meanY) * (y[i] - meanY);
        }
        return cross / Math.Sqrt(squaresX * squaresY);
    }
}
