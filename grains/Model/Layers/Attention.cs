using static TorchSharp.torch;

namespace OpenLedger.Model.Layers;

/// <summary>
/// Causal self-attention with grouped-query heads: several query heads share one key/value head.
/// Submodules are named q_proj, k_proj, v_proj and o_proj, as in HF checkpoints.
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly RotaryEmbedding _rotary;

    /// <summary>Builds the projections for <paramref name="config"/>.</summary>
    public Attention(LlamaConfig config, RotaryEmbedding rotary) : base(nameof(Attention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.EffectiveHeadDim;
        _rotary = rotary;
        QProj = new Projection(config.HiddenSize, _heads * _headDim);
        KProj = new Projection(config.HiddenSize, _kvHeads * _headDim);
        VProj = new Projection(config.HiddenSize, _kvHeads * _headDim);
        OProj = new Projection(_heads * _headDim, config.HiddenSize);
        register_module("q_proj", QProj);
        register_module("k_proj", KProj);
        register_module("v_proj", VProj);
        register_module("o_proj", OProj);
    }

    /// <summary>Query projection.</summary>
    public Projection QProj { get; }

    /// <summary>Key projection.</summary>
    public Projection KProj { get; }

    /// <summary>Value projection.</summary>
    public Projection VProj { get; }

    /// <summary>Output projection.</summary>
    public Projection OProj { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden) => Forward(hidden, null, 0, 0);

    /// <summary>
    /// One decode step for a batch of sequences with separate histories: <paramref name="hidden"/> is [B, 1, H], row b
    /// continues row b of <paramref name="cache"/> at <paramref name="positions"/>[b]; <paramref name="mask"/> hides
    /// each row's unused cache tail. Projections and attention each run once for the whole batch. Query heads are
    /// grouped over their shared key/value head instead of copying the keys per query head.
    /// </summary>
    public Tensor ForwardRows(Tensor hidden, BatchKvCache cache, Tensor positions, Tensor mask, int layer)
    {
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var q = _rotary.ApplyAt(QProj.forward(hidden).view(batch, 1, _heads, _headDim).transpose(1, 2), positions);   // [B, nh, 1, hd]
        var k = _rotary.ApplyAt(KProj.forward(hidden).view(batch, 1, _kvHeads, _headDim).transpose(1, 2), positions); // [B, nkv, 1, hd]
        var v = VProj.forward(hidden).view(batch, 1, _kvHeads, _headDim).transpose(1, 2);
        var (keys, values) = cache.Append(layer, k, v, positions);                                                    // [B, nkv, S, hd]
        var grouped = q.reshape(batch, _kvHeads, _heads / _kvHeads, _headDim);                                        // [B, nkv, g, hd]
        var scores = grouped.matmul(keys.transpose(2, 3)).to_type(ScalarType.Float32) / Math.Sqrt(_headDim) + mask;   // [B, nkv, g, S]
        var weights = scores.softmax(-1).to_type(q.dtype);
        var context = weights.matmul(values).reshape(batch, 1, _heads * _headDim);
        return OProj.forward(context).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Prefills a batch of right-padded prompts [B, T, H] into rows <paramref name="firstRow"/> onward of
    /// <paramref name="cache"/>; <paramref name="mask"/> [B, 1, T, T] is causal and hides each row's padding.
    /// </summary>
    public Tensor PrefillRows(Tensor hidden, BatchKvCache cache, Tensor mask, int firstRow, int layer)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (hidden.shape[0], hidden.shape[1]);
        var q = _rotary.Apply(QProj.forward(hidden).view(batch, length, _heads, _headDim).transpose(1, 2), 0);     // [B, nh, T, hd]
        var k = _rotary.Apply(KProj.forward(hidden).view(batch, length, _kvHeads, _headDim).transpose(1, 2), 0);   // [B, nkv, T, hd]
        var v = VProj.forward(hidden).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        cache.Store(layer, firstRow, k, v);
        if (_kvHeads != _heads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);
        }
        var scores = q.matmul(k.transpose(2, 3)).to_type(ScalarType.Float32) / Math.Sqrt(_headDim) + mask;   // [B, nh, T, T]
        var context = scores.softmax(-1).to_type(q.dtype).matmul(v).transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return OProj.forward(context).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Attends over the <paramref name="past"/> cached tokens (if any) and <paramref name="hidden"/> [B, T, H], which
    /// sits at positions past..past+T-1.
    /// </summary>
    public Tensor Forward(Tensor hidden, KvCache? cache, int layer, long past)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (hidden.shape[0], hidden.shape[1]);

        var q = QProj.forward(hidden).view(batch, length, _heads, _headDim).transpose(1, 2);   // [B, nh, T, hd]
        var k = KProj.forward(hidden).view(batch, length, _kvHeads, _headDim).transpose(1, 2); // [B, nkv, T, hd]
        var v = VProj.forward(hidden).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        q = _rotary.Apply(q, past);
        k = _rotary.Apply(k, past);
        if (cache is not null)
        {
            (k, v) = cache.Append(layer, k, v);                                                   // [B, nkv, S, hd]
        }
        if (_kvHeads != _heads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);                                  // [B, nh, S, hd]
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);
        }

        var total = k.shape[2];
        var scores = q.matmul(k.transpose(2, 3)) / Math.Sqrt(_headDim);                          // [B, nh, T, S]
        // Query i (at absolute position past + i) may see keys 0..past + i.
        var future = ones(length, total, dtype: ScalarType.Bool, device: hidden.device).triu(past + 1);
        scores = scores.masked_fill(future, float.NegativeInfinity);
        var weights = scores.to_type(ScalarType.Float32).softmax(-1).to_type(q.dtype);
        var context = weights.matmul(v).transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return OProj.forward(context).MoveToOuterDisposeScope();
    }
}
