using OpenLedger.Model.Training;
using static TorchSharp.torch;

namespace OpenLedger.Model.Influence;

/// <summary>
/// Per-example gradients of every attached LoRA adapter, for a batch, from one forward and one backward: each
/// projection records its input X and output gradient G, and for example n (loss: its mean token cross-entropy)
/// dL_n/dA = s (G_n B)ᵀ X_n and dL_n/dB = s G_nᵀ (X_n Aᵀ). Right padding never reaches a real token's loss, so
/// padded positions contribute nothing.
/// </summary>
public static class ExampleGradients
{
    /// <summary>Runs <paramref name="batch"/> through <paramref name="model"/> and hands each adapted projection's taps to <paramref name="use"/>.</summary>
    public static void Capture(LlamaModel model, TokenBatch batch, Action<string, Layers.Projection, GradientTap> use)
    {
        var adapted = model.Projections().Where(p => p.Projection.Lora is not null).ToList();
        if (adapted.Count == 0)
        {
            throw new InvalidOperationException("The model has no LoRA adapter attached: there are no adapter gradients to take.");
        }
        var taps = adapted.Select(_ => new GradientTap()).ToList();
        var wasTraining = model.training;
        model.eval();   // no dropout: a gradient is a property of the example, not of a mask
        try
        {
            for (var i = 0; i < adapted.Count; i++)
            {
                adapted[i].Projection.UseGradientTap(taps[i]);
            }
            using (var scope = NewDisposeScope())
            {
                var logits = model.forward(batch.Inputs);
                ExampleLosses(logits, batch.Targets).sum().backward();
            }
            for (var i = 0; i < adapted.Count; i++)
            {
                use(adapted[i].Path, adapted[i].Projection, taps[i]);
            }
        }
        finally
        {
            foreach (var (_, projection) in adapted)
            {
                projection.UseGradientTap(null);
                var (a, b) = projection.Lora!.Value;
                a.grad?.zero_();
                b.grad?.zero_();
            }
            taps.ForEach(t => t.Dispose());
            model.train(wasTraining);
        }
    }

    /// <summary>Exact per-example gradients: for each adapted projection, dA [N, r, in] and dB [N, out, r].</summary>
    public static IReadOnlyList<(string Path, Tensor A, Tensor B)> Compute(LlamaModel model, TokenBatch batch)
    {
        var result = new List<(string, Tensor, Tensor)>();
        Capture(model, batch, (path, projection, tap) =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (a, b) = projection.Lora!.Value;
            var x = tap.Input!;                                    // [N, T, in]
            var g = tap.Leaf!.grad!;                               // [N, T, out]
            var s = projection.LoraScaling;
            var gradA = g.matmul(b).transpose(1, 2).bmm(x) * s;    // [N, r, in]
            var gradB = g.transpose(1, 2).bmm(x.matmul(a.t())) * s; // [N, out, r]
            result.Add((path, gradA.MoveToOuterDisposeScope(), gradB.MoveToOuterDisposeScope()));
        });
        return result;
    }

    /// <summary>Each row's mean token cross-entropy [N] (ignored targets excluded).</summary>
    public static Tensor ExampleLosses(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var (rows, width) = (logits.shape[0], logits.shape[1]);
        var tokenLoss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1),
            ignore_index: TokenBatch.IgnoreIndex, reduction: nn.Reduction.None).view(rows, width);
        var counted = (targets != TokenBatch.IgnoreIndex).to_type(tokenLoss.dtype).sum(1).clamp_min(1);
        return (tokenLoss.sum(1) / counted).MoveToOuterDisposeScope();
    }
}
