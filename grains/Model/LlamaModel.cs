using OpenLedger.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OpenLedger.Model;

/// <summary>
/// A Llama-family causal language model whose parameter names are those of HF's LlamaForCausalLM
/// (<c>model.embed_tokens.weight</c>, <c>model.layers.N.self_attn.q_proj.weight</c>, ..., <c>lm_head.weight</c>).
/// Weights are held in float32; checkpoints may store them as float16 or bfloat16.
/// </summary>
public sealed class LlamaModel : nn.Module<Tensor, Tensor>
{
    private readonly Projection? _lmHead;

    /// <summary>Builds the model with zeroed weights; load or initialise them next.</summary>
    public LlamaModel(LlamaConfig config) : base(nameof(LlamaModel))
    {
        config.Validate("config");
        Config = config;
        Backbone = new LlamaBackbone(config);
        register_module("model", Backbone);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = new Projection(config.HiddenSize, config.VocabSize);
            register_module("lm_head", _lmHead);
        }
    }

    /// <summary>The shape this model was built with.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The decoder stack.</summary>
    public LlamaBackbone Backbone { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor tokens) => Forward(tokens, null);

    /// <summary>Next-token logits [B, T, vocab] for token ids [B, T] (int64), after any cached tokens.</summary>
    public Tensor Forward(Tensor tokens, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        return Logits(Backbone.Forward(tokens, cache)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Next-token logits [B, vocab] after each of a batch of prompts (right-padded to [B, T], row b holding
    /// <paramref name="lengths"/>[b] tokens), whose keys and values go into rows <paramref name="firstRow"/> onward of
    /// <paramref name="cache"/>. Only each prompt's last position is scored: the rest would be thrown away.
    /// </summary>
    public Tensor PrefillRows(Tensor tokens, long[] lengths, BatchKvCache cache, int firstRow)
    {
        if (tokens.shape[0] != lengths.Length || firstRow + lengths.Length > cache.Rows || lengths.Any(l => l < 1 || l > tokens.shape[1]))
        {
            throw new ArgumentException($"PrefillRows takes one length in 1..{tokens.shape[1]} per row and at most {cache.Rows - firstRow} rows from row {firstRow}.");
        }
        using var scope = NewDisposeScope();
        return Logits(Backbone.PrefillRows(tokens, lengths, cache, firstRow)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Logits [B, 1, vocab] for one new token per row (<paramref name="tokens"/> [B, 1]), row b continuing row b of
    /// <paramref name="cache"/>: the decode step of a batch whose sequences have different lengths and adapters.
    /// </summary>
    public Tensor ForwardRows(Tensor tokens, BatchKvCache cache)
    {
        if (tokens.shape[1] != 1 || tokens.shape[0] > cache.Rows)
        {
            throw new ArgumentException($"ForwardRows takes one token per row for at most {cache.Rows} rows; got tokens [{string.Join(", ", tokens.shape)}].");
        }
        using var scope = NewDisposeScope();
        return Logits(Backbone.ForwardRows(tokens, cache)).MoveToOuterDisposeScope();
    }

    // Tied models score against the embedding matrix; untied ones have their own lm_head.
    private Tensor Logits(Tensor hidden) =>
        _lmHead is null ? nn.functional.linear(hidden, Backbone.EmbedTokens.weight!) : _lmHead.forward(hidden);

    /// <summary>Every base weight by its HF name. LoRA factors are not included.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> BaseParameters() =>
        named_parameters().Select(p => (p.name, p.parameter)).ToList();

    /// <summary>Every projection by its HF module path (<c>model.layers.0.self_attn.q_proj</c>).</summary>
    public IReadOnlyList<(string Path, Projection Projection)> Projections()
    {
        var result = new List<(string, Projection)>();
        for (var i = 0; i < Backbone.Layers.Count; i++)
        {
            var layer = Backbone.Layers[i];
            var prefix = $"model.layers.{i}";
            result.Add(($"{prefix}.self_attn.q_proj", layer.SelfAttention.QProj));
            result.Add(($"{prefix}.self_attn.k_proj", layer.SelfAttention.KProj));
            result.Add(($"{prefix}.self_attn.v_proj", layer.SelfAttention.VProj));
            result.Add(($"{prefix}.self_attn.o_proj", layer.SelfAttention.OProj));
            result.Add(($"{prefix}.mlp.gate_proj", layer.Mlp.GateProj));
            result.Add(($"{prefix}.mlp.up_proj", layer.Mlp.UpProj));
            result.Add(($"{prefix}.mlp.down_proj", layer.Mlp.DownProj));
        }
        return result;
    }

    /// <summary>
    /// Draws fresh weights from <paramref name="seed"/>: normal(0, 0.02) for matrices, ones for norms, as HF's
    /// initialiser does, with output projections scaled down by depth so deep stacks start stable.
    /// </summary>
    public void InitialiseWeights(long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in BaseParameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                parameter.fill_(1);
                continue;
            }
            var std = name.EndsWith("o_proj.weight", StringComparison.Ordinal) || name.EndsWith("down_proj.weight", StringComparison.Ordinal)
                ? 0.02 / Math.Sqrt(2 * Config.NumHiddenLayers)
                : 0.02;
            using var draw = randn(parameter.shape, generator: generator) * std;
            parameter.copy_(draw);
        }
    }

    /// <summary>
    /// Until disposed, every forward adds row b's LoRA terms from <paramref name="rows"/>[b] (null: the base model
    /// alone), so one batch serves requests for many adapters: the base products run once for the batch.
    /// </summary>
    public IDisposable ServeAdapters(IReadOnlyList<Serving.ResidentAdapter?> rows)
    {
        var projections = Projections();
        for (var p = 0; p < projections.Count; p++)
        {
            var factors = rows.Select(r => r?.ByProjection[p]).ToArray();
            projections[p].Projection.UseAdapterRows(factors.Any(f => f is not null) ? factors : null);
        }
        return new AdapterBatchScope(projections);
    }

    private sealed class AdapterBatchScope(IReadOnlyList<(string Path, Projection Projection)> projections) : IDisposable
    {
        public void Dispose()
        {
            foreach (var (_, projection) in projections)
            {
                projection.UseAdapterRows(null);
            }
        }
    }

    /// <summary>Number of base parameters.</summary>
    public long ParameterCount => BaseParameters().Sum(p => p.Parameter.numel());
}
