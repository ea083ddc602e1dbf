using TorchSharp;
using static TorchSharp.torch;

namespace OpenLedger.Model.Layers;

/// <summary>Root-mean-square layer norm as used by Llama: x / rms(x) * weight, with no mean subtraction and no bias.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly double _epsilon;

    // The field name is the checkpoint's tensor name (`...input_layernorm.weight`).
#pragma warning disable IDE1006
    private readonly TorchSharp.Modules.Parameter weight;
#pragma warning restore IDE1006

    /// <summary>Creates a norm over the last dimension of size <paramref name="hiddenSize"/>, weight initialised to one.</summary>
    public RmsNorm(long hiddenSize, double epsilon = 1e-6, Device? device = null) : base(nameof(RmsNorm))
    {
        _epsilon = epsilon;
        weight = nn.Parameter(ones(hiddenSize, device: device));
        RegisterComponents();
    }

    /// <summary>The learned per-channel scale.</summary>
    public Tensor Weight => weight;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // Normalise in float32 whatever the activation dtype, as the reference implementation does.
        var x = input.to_type(ScalarType.Float32);
        var variance = x.pow(2).mean(new long[] { -1 }, keepdim: true);
        var normed = x * rsqrt(variance + _epsilon);
        return (weight * normed.to_type(input.dtype)).MoveToOuterDisposeScope();
    }
}
