using OpenLedger.Model.Layers;
using static TorchSharp.torch;

namespace OpenLedger.Model.Tests;

public sealed class RmsNormTests
{
    [Fact]
    public void Rms_norm_matches_a_plain_loop_reference()
    {
        const int rows = 3, cols = 8;
        var values = new float[rows * cols];
        var random = new Random(7);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 4 - 2);
        }
        var scale = Enumerable.Range(0, cols).Select(c => 0.5f + c * 0.25f).ToArray();

        using var norm = new RmsNorm(cols, epsilon: 1e-6);
        using (no_grad())
        {
            norm.Weight.copy_(tensor(scale));
        }
        using var input = tensor(values, new long[] { rows, cols });
        using var output = norm.forward(input);
        var actual = output.data<float>().ToArray();

        for (var r = 0; r < rows; r++)
        {
            double sumSquares = 0;
            for (var c = 0; c < cols; c++)
            {
                sumSquares += values[r * cols + c] * (double)values[r * cols + c];
            }
            var inverseRms = 1.0 / Math.Sqrt(sumSquares / cols + 1e-6);
            for (var c = 0; c < cols; c++)
            {
                var expected = values[r * cols + c] * inverseRms * scale[c];
                Assert.True(Math.Abs(expected - actual[r * cols + c]) < 1e-5, $"row {r} col {c}: {actual[r * cols + c]} vs {expected}");
            }
        }
    }

    [Fact]
    public void Matrix_product_and_gradient_are_computed_by_libtorch()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 }, requires_grad: true);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, new long[] { 2, 2 });
        using var product = a.matmul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());

        using var loss = product.sum();
        loss.backward();
        // d(sum(A.B))/dA[i,k] = sum_j B[k,j]
        Assert.Equal(new float[] { 11, 15, 11, 15 }, a.grad!.data<float>().ToArray());
        Assert.False(string.IsNullOrEmpty(TorchDevices.Describe()));
    }
}
