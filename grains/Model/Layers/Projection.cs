using OpenLedger.Model.Serving;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OpenLedger.Model.Layers;

/// <summary>
/// A bias-free linear map y = x W^T (W is [out, in], as HF stores it) that can carry a LoRA adapter:
/// y = x W^T + scaling * dropout(x) A^T B^T, with W frozen while the adapter trains.
/// </summary>
public sealed class Projection : nn.Module<Tensor, Tensor>
{
    // The factors are kept out of the module's registered parameters so that the base model's state (what a
    // checkpoint saves) never includes them; the model enumerates them by name for PEFT files and optimizers.
    private Parameter? _loraA;
    private Parameter? _loraB;
    private double _dropout;
    private Generator? _dropoutGenerator;
    private IReadOnlyList<LoraFactors?>? _batchRows;
    private Influence.GradientTap? _tap;

    /// <summary>A projection from <paramref name="inFeatures"/> to <paramref name="outFeatures"/>, zero-initialised.</summary>
    public Projection(long inFeatures, long outFeatures) : base(nameof(Projection))
    {
        register_parameter("weight", new Parameter(zeros(outFeatures, inFeatures), requires_grad: true));
    }

    /// <summary>The base weight [out, in].</summary>
    // Looked up on each use: moving the module to another device or dtype replaces the registered parameter.
    public Parameter Weight => get_parameter("weight")!;

    /// <summary>The attached adapter's scaling (alpha / r, or alpha / sqrt(r) for rsLoRA), or 0 without one.</summary>
    public double LoraScaling { get; private set; }

    /// <summary>The attached A [r, in] and B [out, r] factors, or null without an adapter.</summary>
    public (Parameter A, Parameter B)? Lora => _loraA is null ? null : (_loraA, _loraB!);

    /// <summary>Attaches an adapter with the given factors, replacing any attached one. The base weight is frozen.</summary>
    public void AttachLora(Tensor a, Tensor b, double scaling, double dropout, Generator? dropoutGenerator)
    {
        if (a.dim() != 2 || b.dim() != 2 || a.shape[1] != Weight.shape[1] || b.shape[0] != Weight.shape[0] || a.shape[0] != b.shape[1])
        {
            throw new ArgumentException(
                $"LoRA factors A [{string.Join(",", a.shape)}] and B [{string.Join(",", b.shape)}] do not fit a [{string.Join(",", Weight.shape)}] weight");
        }
        DetachLora();
        _loraA = new Parameter(a.to(Weight.dtype, Weight.device), requires_grad: true);
        _loraB = new Parameter(b.to(Weight.dtype, Weight.device), requires_grad: true);
        LoraScaling = scaling;
        _dropout = dropout;
        _dropoutGenerator = dropoutGenerator;
        Weight.requires_grad = false;
    }

    /// <summary>Removes the adapter without merging it.</summary>
    public void DetachLora()
    {
        _loraA?.Dispose();
        _loraB?.Dispose();
        _loraA = null;
        _loraB = null;
        LoraScaling = 0;
    }

    /// <summary>
    /// Serves many adapters at once: until cleared, each forward adds row b's LoRA term with
    /// <paramref name="rows"/>[b] (null: none). Null clears it.
    /// </summary>
    public void UseAdapterRows(IReadOnlyList<LoraFactors?>? rows) => _batchRows = rows;

    /// <summary>
    /// Until cleared (null), each forward records its input and adds a zero leaf to its output whose gradient, after
    /// backward, is the loss gradient of this projection's output: what per-example LoRA gradients are made from.
    /// </summary>
    public void UseGradientTap(Influence.GradientTap? tap) => _tap = tap;

    /// <summary>W += scaling * B A: the adapter's effect folded into the base weight.</summary>
    public void Merge() => FoldDelta(+1);

    /// <summary>W -= scaling * B A: undoes <see cref="Merge"/>.</summary>
    public void Unmerge() => FoldDelta(-1);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = nn.functional.linear(input, Weight);
        if (_loraA is not null)
        {
            var x = input;
            if (training && _dropout > 0)
            {
                // Dropout draws from the job's own generator so that a resumed job replays the same masks.
                // Masks are drawn on the CPU from the job's generator, then moved, so every device replays the same masks.
                var keep = (rand(input.shape, generator: _dropoutGenerator) >= _dropout).to(input.dtype, input.device);
                x = input * keep / (1 - _dropout);
            }
            output = output + nn.functional.linear(nn.functional.linear(x, _loraA), _loraB!) * LoraScaling;
        }
        if (_tap is not null)
        {
            output = output + _tap.Record(input, output);
        }
        if (_batchRows is not null)
        {
            // The base product above ran once for the whole batch; only the low-rank terms differ per row.
            LoraKernel.AddDelta(input, output, _batchRows);
        }
        return output.MoveToOuterDisposeScope();
    }

    private void FoldDelta(int sign)
    {
        if (_loraA is null)
        {
            throw new InvalidOperationException("No LoRA adapter is attached to merge.");
        }
        using var noGrad = no_grad();
        using var delta = _loraB!.matmul(_loraA).mul_(LoraScaling * sign);
        Weight.add_(delta.to_type(Weight.dtype));
    }
}
