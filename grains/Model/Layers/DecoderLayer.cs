using static TorchSharp.torch;

namespace OpenLedger.Model.Layers;

/// <summary>One pre-norm decoder block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class DecoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly int _index;
    private readonly RmsNorm _inputNorm;
    private readonly RmsNorm _postAttentionNorm;

    /// <summary>Builds layer number <paramref name="index"/>.</summary>
    public DecoderLayer(LlamaConfig config, RotaryEmbedding rotary, int index) : base(nameof(DecoderLayer))
    {
        _index = index;
        _inputNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        SelfAttention = new Attention(config, rotary);
        _postAttentionNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        Mlp = new SwiGluMlp(config);
        register_module("input_layernorm", _inputNorm);
        register_module("self_attn", SelfAttention);
        register_module("post_attention_layernorm", _postAttentionNorm);
        register_module("mlp", Mlp);
    }

    /// <summary>The attention block.</summary>
    public Attention SelfAttention { get; }

    /// <summary>The feed-forward block.</summary>
    public SwiGluMlp Mlp { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden) => Forward(hidden, null, 0);

    /// <summary>Prefills a batch of padded prompts (see <see cref="Attention.PrefillRows"/>).</summary>
    public Tensor PrefillRows(Tensor hidden, BatchKvCache cache, Tensor mask, int firstRow)
    {
        using var scope = NewDisposeScope();
        var h = hidden + SelfAttention.PrefillRows(_inputNorm.forward(hidden), cache, mask, firstRow, _index);
        return (h + Mlp.forward(_postAttentionNorm.forward(h))).MoveToOuterDisposeScope();
    }

    /// <summary>One decode step for a batch of sequences (see <see cref="Attention.ForwardRows"/>).</summary>
    public Tensor ForwardRows(Tensor hidden, BatchKvCache cache, Tensor positions, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var h = hidden + SelfAttention.ForwardRows(_inputNorm.forward(hidden), cache, positions, mask, _index);
        return (h + Mlp.forward(_postAttentionNorm.forward(h))).MoveToOuterDisposeScope();
    }

    /// <summary>Runs the block over <paramref name="hidden"/> [B, T, H] after <paramref name="past"/> cached tokens, extending <paramref name="cache"/>.</summary>
    public Tensor Forward(Tensor hidden, KvCache? cache, long past)
    {
        using var scope = NewDisposeScope();
        var h = hidden + SelfAttention.Forward(_inputNorm.forward(hidden), cache, _index, past);
        return (h + Mlp.forward(_postAttentionNorm.forward(h))).MoveToOuterDisposeScope();
    }
}
