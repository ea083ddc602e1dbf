using OpenLedger.Model.Lora;
using static TorchSharp.torch;

namespace OpenLedger.Model.Serving;

/// <summary>
/// The LoRA factors of many adapters for one projection, stacked so a batch can gather each row's adapter in one
/// indexed read: A is [slots, rMax, in], B is [slots, out, rMax], scaling is [slots]. Adapters of smaller rank are
/// zero-padded to rMax, which leaves B A unchanged. Slot 0 is all zeros: rows without an adapter use it.
/// </summary>
public sealed class AdapterStack : IDisposable
{
    private AdapterStack(Tensor a, Tensor b, Tensor scaling)
    {
        A = a;
        B = b;
        Scaling = scaling;
    }

    /// <summary>Stacked A factors [slots, rMax, in].</summary>
    public Tensor A { get; }

    /// <summary>Stacked B factors [slots, out, rMax].</summary>
    public Tensor B { get; }

    /// <summary>Per-slot scaling [slots].</summary>
    public Tensor Scaling { get; }

    /// <summary>
    /// Stacks <paramref name="adapters"/> (slot i + 1 holds adapter i) for a projection of shape [out, in] on
    /// <paramref name="device"/>.
    /// </summary>
    public static AdapterStack Build(IReadOnlyList<(Tensor A, Tensor B, double Scaling)> adapters, long inFeatures, long outFeatures, ScalarType dtype, Device device)
    {
        var rMax = adapters.Count == 0 ? 1 : adapters.Max(a => a.A.shape[0]);
        var slots = adapters.Count + 1;
        var a = zeros(new long[] { slots, rMax, inFeatures }, dtype: dtype, device: device);
        var b = zeros(new long[] { slots, outFeatures, rMax }, dtype: dtype, device: device);
        var scaling = new double[slots];
        using (no_grad())
        {
            for (var i = 0; i < adapters.Count; i++)
            {
                var (factorA, factorB, scale) = adapters[i];
                var rank = factorA.shape[0];
                a[i + 1].narrow(0, 0, rank).copy_(factorA);
                b[i + 1].narrow(1, 0, rank).copy_(factorB);
                scaling[i + 1] = scale;
            }
        }
        return new AdapterStack(a, b, tensor(scaling, dtype: dtype, device: device));
    }

    /// <summary>
    /// The LoRA term of every row: for x [batch, T, in] and slots [batch] (int64), returns
    /// scaling[slot] * x A[slot]^T B[slot]^T as [batch, T, out]. One gather and two batched matrix products
    /// (shrink to rMax, expand to out) serve every adapter in the batch at once.
    /// </summary>
    public Tensor Delta(Tensor x, Tensor slots)
    {
        using var scope = NewDisposeScope();
        var a = A.index_select(0, slots);                      // [batch, rMax, in]
        var b = B.index_select(0, slots);                      // [batch, out, rMax]
        var shrunk = x.bmm(a.transpose(1, 2));                 // [batch, T, rMax]
        var expanded = shrunk.bmm(b.transpose(1, 2));          // [batch, T, out]
        var scale = Scaling.index_select(0, slots).view(-1, 1, 1);
        return (expanded * scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Stacks for every projection of <paramref name="model"/> that any of <paramref name="adapters"/> targets;
    /// adapter i takes slot i + 1, and a null entry leaves its slot empty (zero factors).
    /// </summary>
    public static Dictionary<string, AdapterStack> ForModel(LlamaModel model, IReadOnlyList<PeftAdapter?> adapters)
    {
        var loaded = adapters.Select(adapter => adapter?.Factors(model) ?? []).ToList();
        var stacks = new Dictionary<string, AdapterStack>(StringComparer.Ordinal);
        foreach (var (path, projection) in model.Projections())
        {
            if (!loaded.Any(factors => factors.ContainsKey(path)))
            {
                continue;
            }
            var weight = projection.Weight;
            var perAdapter = loaded.Select(factors => factors.TryGetValue(path, out var f)
                ? f
                : (zeros(1, weight.shape[1]), zeros(weight.shape[0], 1), 0.0)).ToList();
            stacks[path] = Build(perAdapter, weight.shape[1], weight.shape[0], weight.dtype, weight.device);
            foreach (var (a, b, _) in perAdapter)
            {
                a.Dispose();
                b.Dispose();
            }
        }
        return stacks;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        Scaling.Dispose();
    }
}
