using OpenLedger.Model.Training;
using static TorchSharp.torch;

namespace OpenLedger.Model.Influence;

/// <summary>
/// Per-example LoRA gradients projected to a few dimensions without ever forming them (LoGra-style): each factor's
/// gradient is a sum of outer products, so its input side is projected before the product. For a projection with
/// inputs X, output gradients G and factors A, B: dA·P_xᵀ = s (G B)ᵀ (X P_xᵀ) and P_g·dB = s (G P_gᵀ)ᵀ (X Aᵀ).
/// P_x [k, in] and P_g [k, out] are Gaussian with variance 1/k, drawn from the seed and the projection's position,
/// so inner products of projected gradients estimate those of the exact ones, and every silo draws the same matrices.
/// </summary>
public sealed class GradientProjector : IDisposable
{
    private readonly Dictionary<string, (Tensor Inputs, Tensor Outputs)> _matrices = new(StringComparer.Ordinal);

    /// <summary>Draws the matrices for <paramref name="model"/>'s projections: <paramref name="dimensions"/> rows each, from <paramref name="seed"/>.</summary>
    public GradientProjector(LlamaModel model, int dimensions, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
        var projections = model.Projections();
        for (var index = 0; index < projections.Count; index++)
        {
            var (path, projection) = projections[index];
            var weight = projection.Weight;
            using var generator = new Generator((ulong)(seed * 1_000_003 + index));
            var scale = 1 / Math.Sqrt(dimensions);
            var inputs = (randn(new long[] { dimensions, weight.shape[1] }, generator: generator) * scale).to(weight.device).DetachFromDisposeScope();
            var outputs = (randn(new long[] { dimensions, weight.shape[0] }, generator: generator) * scale).to(weight.device).DetachFromDisposeScope();
            _matrices[path] = (inputs, outputs);
        }
    }

    /// <summary>Rows of each projection matrix (k).</summary>
    public int Dimensions { get; }

    /// <summary>Projected per-example gradients [N, D] of the adapter attached to <paramref name="model"/>, for <paramref name="batch"/>.</summary>
    public Tensor Project(LlamaModel model, TokenBatch batch)
    {
        var parts = new List<Tensor>();
        ExampleGradients.Capture(model, batch, (path, projection, tap) =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (a, b) = projection.Lora!.Value;
            var (inputs, outputs) = _matrices[path];
            var x = tap.Input!;
            var g = tap.Leaf!.grad!;
            var s = projection.LoraScaling;
            var rows = x.shape[0];
            var projectedA = g.matmul(b).transpose(1, 2).bmm(x.matmul(inputs.t())) * s;      // [N, r, k]
            var projectedB = g.matmul(outputs.t()).transpose(1, 2).bmm(x.matmul(a.t())) * s; // [N, k, r]
            parts.Add(cat([projectedA.reshape(rows, -1), projectedB.reshape(rows, -1)], 1).MoveToOuterDisposeScope());
        });
        var result = cat(parts, 1);
        parts.ForEach(p => p.Dispose());
        return result;
    }

    /// <summary>Projects exact gradients (from <see cref="ExampleGradients.Compute"/>) the same way: the reference for <see cref="Project"/>.</summary>
    public Tensor ProjectExact(IReadOnlyList<(string Path, Tensor A, Tensor B)> exact)
    {
        using var scope = NewDisposeScope();
        var rows = exact[0].A.shape[0];
        var parts = exact.Select(e =>
        {
            var (inputs, outputs) = _matrices[e.Path];
            return cat([e.A.matmul(inputs.t()).reshape(rows, -1), outputs.matmul(e.B).reshape(rows, -1)], 1);
        }).ToArray();
        return cat(parts, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Exact gradients flattened to [N, D]: the unprojected vectors.</summary>
    public static Tensor Flatten(IReadOnlyList<(string Path, Tensor A, Tensor B)> exact)
    {
        using var scope = NewDisposeScope();
        var rows = exact[0].A.shape[0];
        return cat(exact.SelectMany(e => new[] { e.A.reshape(rows, -1), e.B.reshape(rows, -1) }).ToArray(), 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (inputs, outputs) in _matrices.Values)
        {
            inputs.Dispose();
            outputs.Dispose();
        }
    }
}
