namespace OpenLedger.Attribution.Tests;

/// <summary>
/// L2-regularised logistic regression with labels ±1, fitted to its exact optimum by damped Newton steps:
/// θ minimises Σ_i log(1 + exp(−y_i θ·x_i)) + (α/2)‖θ‖² over the chosen examples. Per-example losses, loss gradients
/// and the Hessian are the ground truth that influence estimates are judged against.
/// </summary>
internal static class LogisticRegression
{
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    public static double Dot(double[] a, double[] b)
    {
        double total = 0;
        for (var k = 0; k < a.Length; k++)
        {
            total += a[k] * b[k];
        }
        return total;
    }

    /// <summary>log(1 + exp(−y θ·x)), computed without overflow.</summary>
    public static double Loss(double[] theta, double[] x, int y)
    {
        var z = -y * Dot(theta, x);
        return Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
    }

    /// <summary>∇_θ of <see cref="Loss"/>: −y σ(−y θ·x) x.</summary>
    public static double[] Gradient(double[] theta, double[] x, int y)
    {
        var scale = -y * Sigmoid(-y * Dot(theta, x));
        return x.Select(v => scale * v).ToArray();
    }

    /// <summary>The Hessian of the regularised objective over <paramref name="members"/> (every example when null).</summary>
    public static double[,] Hessian(double[] theta, ClassificationData data, double alpha, IReadOnlyList<int>? members = null)
    {
        var d = theta.Length;
        var hessian = new double[d, d];
        foreach (var i in members ?? Enumerable.Range(0, data.Count).ToList())
        {
            var x = data.Features[i];
            var p = Sigmoid(Dot(theta, x));
            var weight = p * (1 - p);
            for (var a = 0; a < d; a++)
            {
                for (var b = 0; b < d; b++)
                {
                    hessian[a, b] += weight * x[a] * x[b];
                }
            }
        }
        for (var a = 0; a < d; a++)
        {
            hessian[a, a] += alpha;
        }
        return hessian;
    }

    /// <summary>The optimum over <paramref name="members"/> (every example when null), to a gradient norm below 1e-10.</summary>
    public static double[] Fit(ClassificationData data, double alpha, IReadOnlyList<int>? members = null, double[]? start = null)
    {
        var chosen = members ?? Enumerable.Range(0, data.Count).ToList();
        var d = data.Features[0].Length;
        var theta = start is null ? new double[d] : (double[])start.Clone();
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var gradient = ObjectiveGradient(theta, data, alpha, chosen);
            if (Math.Sqrt(Dot(gradient, gradient)) < 1e-10)
            {
                return theta;
            }
            var step = Cholesky.Solve(Hessian(theta, data, alpha, chosen), gradient);
            // Halve the step until the objective falls, so Newton's method converges from any start; near the optimum
            // the change is below rounding, and the full step is taken.
            var current = Objective(theta, data, alpha, chosen);
            var tolerance = 1e-12 * (1 + Math.Abs(current));
            for (var scale = 1.0; ; scale /= 2)
            {
                var next = theta.Select((t, k) => t - scale * step[k]).ToArray();
                if (Objective(next, data, alpha, chosen) <= current + tolerance || scale < 1e-12)
                {
                    theta = next;
                    break;
                }
            }
        }
        var left = ObjectiveGradient(theta, data, alpha, chosen);
        throw new InvalidOperationException($"Newton's method did not converge in 100 steps (gradient norm {Math.Sqrt(Dot(left, left)):E2}).");
    }

    private static double Objective(double[] theta, ClassificationData data, double alpha, IReadOnlyList<int> members) =>
        members.Sum(i => Loss(theta, data.Features[i], data.Labels[i])) + alpha / 2 * Dot(theta, theta);

    private static double[] ObjectiveGradient(double[] theta, ClassificationData data, double alpha, IReadOnlyList<int> members)
    {
        var total = theta.Select(t => alpha * t).ToArray();
        foreach (var i in members)
        {
            var g = Gradient(theta, data.Features[i], data.Labels[i]);
            for (var k = 0; k < total.Length; k++)
            {
                total[k] += g[k];
            }
        }
        return total;
    }
}
