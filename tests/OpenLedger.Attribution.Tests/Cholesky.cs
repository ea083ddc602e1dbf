namespace OpenLedger.Attribution.Tests;

/// <summary>Solves symmetric positive-definite systems by Cholesky factorisation: the exact inverse Hessian products the references need.</summary>
internal static class Cholesky
{
    /// <summary>x with <paramref name="matrix"/> x = <paramref name="right"/>.</summary>
    public static double[] Solve(double[,] matrix, double[] right)
    {
        var n = right.Length;
        var lower = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = matrix[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= lower[i, k] * lower[j, k];
                }
                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        throw new InvalidOperationException($"The matrix is not positive definite (pivot {i} is {sum}).");
                    }
                    lower[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    lower[i, j] = sum / lower[j, j];
                }
            }
        }
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = right[i];
            for (var k = 0; k < i; k++)
            {
                sum -= lower[i, k] * y[k];
            }
            y[i] = sum / lower[i, i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= lower[k, i] * x[k];
            }
            x[i] = sum / lower[i, i];
        }
        return x;
    }
}
