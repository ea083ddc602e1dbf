using OpenLedger.Attribution.Influence;

namespace OpenLedger.Attribution.Tests;

/// <summary>
/// A logistic regression fitted to its optimum on a training set, with the three influence estimates compared in the
/// ground-truth tests, all signed alike (positive: the training example lowers the test loss, so removing it raises
/// it): exact influence functions ∇L_testᵀ H⁻¹ ∇ℓ_i with the true regularised Hessian, DataInf g_i · H̃⁻¹ ∇L_test,
/// and TracIn's plain g_i · ∇L_test.
/// </summary>
internal sealed class InfluenceProblem
{
    private readonly double[,] _hessian;

    public InfluenceProblem(ClassificationData train, double alpha, IReadOnlyList<LayerBlock> blocks)
    {
        Train = train;
        Theta = LogisticRegression.Fit(train, alpha);
        _hessian = LogisticRegression.Hessian(Theta, train, alpha);
        Dimensions = Theta.Length;
        Rows = new float[train.Count * Dimensions];
        for (var i = 0; i < train.Count; i++)
        {
            var g = LogisticRegression.Gradient(Theta, train.Features[i], train.Labels[i]);
            for (var k = 0; k < Dimensions; k++)
            {
                Rows[i * Dimensions + k] = (float)g[k];
            }
        }
        DataInf = DataInf.Fit(blocks, Rows, train.Count);
    }

    public ClassificationData Train { get; }

    public double[] Theta { get; }

    public int Dimensions { get; }

    /// <summary>Per-example training loss gradients at the optimum, as the attribution engine stores them.</summary>
    public float[] Rows { get; }

    public DataInf DataInf { get; }

    public double[] TestGradient(double[] x, int y) => LogisticRegression.Gradient(Theta, x, y);

    public double[] DataInfScores(double[] x, int y)
    {
        var preconditioned = DataInf.Precondition(ToFloats(TestGradient(x, y)));
        return Enumerable.Range(0, Train.Count).Select(i => RowDot(i, preconditioned)).ToArray();
    }

    public double[] ExactScores(double[] x, int y)
    {
        var solved = Cholesky.Solve(_hessian, TestGradient(x, y));
        return Enumerable.Range(0, Train.Count)
            .Select(i => LogisticRegression.Dot(solved, LogisticRegression.Gradient(Theta, Train.Features[i], Train.Labels[i]))).ToArray();
    }

    public double[] TracInScores(double[] x, int y)
    {
        var v = ToFloats(TestGradient(x, y));
        return Enumerable.Range(0, Train.Count).Select(i => RowDot(i, v)).ToArray();
    }

    public static float[] ToFloats(double[] values) => values.Select(v => (float)v).ToArray();

    private double RowDot(int row, float[] vector)
    {
        double total = 0;
        for (var k = 0; k < Dimensions; k++)
        {
            total += (double)Rows[row * Dimensions + k] * vector[k];
        }
        return total;
    }
}
