namespace OpenLedger.Attribution.Tests;

/// <summary>
/// A synthetic binary classification set: each example's features are a constant 1 (the bias) and normal draws
/// (standard, or with the given per-feature scales); its label is +1 with probability σ(truth · x), else −1, or, for
/// noise-free labels, the sign of truth · x.
/// </summary>
internal sealed record ClassificationData(double[][] Features, int[] Labels)
{
    public int Count => Labels.Length;

    public static ClassificationData Draw(Random random, int count, double[] truth, double[]? scales = null, bool noiseFree = false)
    {
        var features = new double[count][];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var x = new double[truth.Length];
            x[0] = 1;
            for (var k = 1; k < x.Length; k++)
            {
                x[k] = Gaussian(random) * (scales?[k] ?? 1);
            }
            features[i] = x;
            var margin = LogisticRegression.Dot(truth, x);
            var chance = random.NextDouble();
            labels[i] = (noiseFree ? margin >= 0 : chance < LogisticRegression.Sigmoid(margin)) ? 1 : -1;
        }
        return new ClassificationData(features, labels);
    }

    /// <summary>The same examples with the labels of <paramref name="flipped"/> reversed.</summary>
    public ClassificationData Flip(IEnumerable<int> flipped)
    {
        var labels = (int[])Labels.Clone();
        foreach (var i in flipped)
        {
            labels[i] = -labels[i];
        }
        return this with { Labels = labels };
    }

    // Box-Muller, so the draws depend only on the seed.
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
