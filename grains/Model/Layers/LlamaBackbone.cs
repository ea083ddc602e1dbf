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

    /// <summary>
    /// Final normed hidden state [B, H] at each row's last prompt token, for right-padded prompts [B, T] of
    /// <paramref name="lengths"/> tokens, written into rows <paramref name="firstRow"/> onward of <paramref name="cache"/>.
    /// </summary>
    public Tensor PrefillRows(Tensor tokens, long[] lengths, BatchKvCache cache, int firstRow)
    {
        using var scope = NewDisposeScope();
        var (rows, width) = (tokens.shape[0], tokens.shape[1]);
        var device = tokens.device;
        var length = tensor(lengths, device: device);
        var key = arange(width, device: device);
        // Query i sees keys j <= i that are real tokens of its own row.
        var visible = (key.view(1, 1, width) <= key.view(1, width, 1)).logical_and(key.view(1, 1, width) < length.view(rows, 1, 1));
        var mask = zeros(rows, width, width, dtype: ScalarType.Float32, device: device)
            .masked_fill(visible.logical_not(), float.NegativeInfinity).unsqueeze(1);                        // [B, 1, T, T]
        var hidden = EmbedTokens.forward(tokens);
        foreach (var layer in Layers)
        {
            hidden = layer.PrefillRows(hidden, cache, mask, firstRow);
        }
        for (var row = 0; row < rows; row++)
        {
            cache.SetLength(firstRow + row, lengths[row]);
        }
        var last = hidden[arange(rows, device: device), length - 1];                                       // [B, H]
        return _norm.forward(last).MoveToOuterDisposeScope();
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
