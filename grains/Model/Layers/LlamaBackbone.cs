using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OpenLedger.Model.Layers;

/// <summary>The decoder stack HF calls <c>model</c>: embed_tokens, layers.N, norm.</summary>
public sealed class LlamaBackbone : nn.Module<Tensor, Tensor>
{
    private readonly RmsNorm _norm;

    /// <summary>Builds the stack for <paramref name="config"/> with zeroed weights.</summary>
    public LlamaBackbone(LlamaConfig config) : base(nameof(LlamaBackbone))
    {
        var rotary = new RotaryEmbedding(config.EffectiveHeadDim, config.RopeTheta, config.RopeScaling);
        EmbedTokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        Layers = new ModuleList<DecoderLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(i => new DecoderLayer(config, rotary, i)).ToArray());
        _norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        register_module("embed_tokens", EmbedTokens);
        register_module("layers", Layers);
        register_module("norm", _norm);
    }

    /// <summary>The token embedding [vocab, hidden].</summary>
    public Embedding EmbedTokens { get; }

    /// <summary>The decoder layers.</summary>
    public ModuleList<DecoderLayer> Layers { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor tokens) => Forward(tokens, null);

    /// <summary>Final normed hidden states [B, 1, H] for one new token per row, row b continuing row b of <paramref name="cache"/>.</summary>
    public Tensor ForwardRows(Tensor tokens, BatchKvCache cache)
    {
        using var scope = NewDisposeScope();
        var rows = (int)tokens.shape[0];
        var (positions, mask) = cache.BeginStep(rows);
        var hidden = EmbedTokens.forward(tokens);
        foreach (var layer in Layers)
        {
            hidden = layer.ForwardRows(hidden, cache, positions, mask);
        }
        cache.EndStep(rows);
        return _norm.forward(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>Final normed hidden states [B, T, H] for token ids [B, T].</summary>
    public Tensor Forward(Tensor tokens, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        // Read once: each layer appends to the cache, so its length grows while the layers run.
        var past = cache?.Length ?? 0;
        var hidden = EmbedTokens.forward(tokens);
        foreach (var layer in Layers)
        {
            hidden = layer.Forward(hidden, cache, past);
        }
        return _norm.forward(hidden).MoveToOuterDisposeScope();
    }
}
