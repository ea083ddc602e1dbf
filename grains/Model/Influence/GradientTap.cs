using static TorchSharp.torch;

namespace OpenLedger.Model.Influence;

/// <summary>
/// What one projection saw in one forward: its input X [N, T, in] and a zero leaf added to its output, whose gradient
/// after backward is G = dL/dy [N, T, out]. Per-example LoRA gradients are products of these two; no per-example
/// backward is needed. Owns its tensors.
/// </summary>
public sealed class GradientTap : IDisposable
{
    /// <summary>The recorded input (detached), or null before the forward.</summary>
    public Tensor? Input { get; private set; }

    /// <summary>The zero leaf added to the output; its <c>grad</c> is the output gradient after backward.</summary>
    public Tensor? Leaf { get; private set; }

    /// <summary>Records <paramref name="input"/> and returns the leaf to add to <paramref name="output"/>.</summary>
    public Tensor Record(Tensor input, Tensor output)
    {
        Dispose();
        Input = input.detach().clone().DetachFromDisposeScope();
        Leaf = zeros(output.shape, dtype: output.dtype, device: output.device, requires_grad: true).DetachFromDisposeScope();
        return Leaf;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Input?.Dispose();
        Leaf?.Dispose();
        Input = null;
        Leaf = null;
    }
}
