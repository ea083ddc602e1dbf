using static TorchSharp.torch;

namespace OpenLedger.Model.Layers;

/// <summary>The Llama feed-forward block: down_proj(silu(gate_proj(x)) * up_proj(x)).</summary>
public sealed class SwiGluMlp : nn.Module<Tensor, Tensor>
{
    /// <summary>Builds gate, up and down projections for <paramref name="config"/>.</summary>
    public SwiGluMlp(LlamaConfig config) : base(nameof(SwiGluMlp))
    {
        GateProj = new Projection(config.HiddenSize, config.IntermediateSize);
        UpProj = new Projection(config.HiddenSize, config.IntermediateSize);
        DownProj = new Projection(config.IntermediateSize, config.HiddenSize);
        register_module("gate_proj", GateProj);
        register_module("up_proj", UpProj);
        register_module("down_proj", DownProj);
    }

    /// <summary>Gate projection.</summary>
    public Projection GateProj { get; }

    /// <summary>Up projection.</summary>
    public Projection UpProj { get; }

    /// <summary>Down projection.</summary>
    public Projection DownProj { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(GateProj.forward(input)) * UpProj.forward(input);
        return DownProj.forward(gated).MoveToOuterDisposeScope();
    }
}
