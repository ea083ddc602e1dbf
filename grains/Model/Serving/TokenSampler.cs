using static TorchSharp.torch;

namespace OpenLedger.Model.Serving;

/// <summary>Picks the next token from one row of logits by <see cref="SamplingParameters"/>.</summary>
public sealed class TokenSampler : IDisposable
{
    private readonly SamplingParameters _parameters;
    private readonly Generator _generator;

    /// <summary>A sampler whose draws are fixed by the parameters' seed.</summary>
    public TokenSampler(SamplingParameters parameters)
    {
        _parameters = parameters;
        _generator = new Generator((ulong)parameters.Seed);
    }

    /// <summary>The next token for <paramref name="logits"/> [vocab].</summary>
    public int Next(Tensor logits)
    {
        using var row = logits.unsqueeze(0);
        return NextBatch(row, [this])[0];
    }

    /// <summary>
    /// The next token of every row of <paramref name="logits"/> [B, vocab], row b picked by <paramref name="samplers"/>[b].
    /// Greedy rows share one argmax and sampling rows one softmax, sort and prefix sum, however many rows there are.
    /// Each sampling row draws a single uniform number from its own seeded generator and inverts its own kept
    /// distribution with it, so a request's tokens never depend on which requests share its batch.
    /// </summary>
    public static int[] NextBatch(Tensor logits, IReadOnlyList<TokenSampler> samplers)
    {
        using var scope = NewDisposeScope();
        var scores = logits.to_type(ScalarType.Float32).cpu();                                        // [B, V]
        var tokens = scores.argmax(-1).data<long>().ToArray().Select(t => (int)t).ToArray();
        var sampling = Enumerable.Range(0, samplers.Count).Where(b => samplers[b]._parameters.Temperature > 0).ToArray();
        if (sampling.Length == 0)
        {
            return tokens;
        }
        var rows = tensor(sampling.Select(b => (long)b).ToArray());
        var temperature = tensor(sampling.Select(b => (float)samplers[b]._parameters.Temperature).ToArray()).unsqueeze(1);
        var topP = tensor(sampling.Select(b => (float)samplers[b]._parameters.TopP).ToArray()).unsqueeze(1);
        var probabilities = (scores.index_select(0, rows) / temperature).softmax(-1);
        var (sorted, order) = probabilities.sort(-1, descending: true);
        // Keep the most likely tokens until their mass reaches top_p (always at least the first).
        var keep = (sorted.cumsum(-1) - sorted) < topP;
        var kept = (sorted * keep.to_type(ScalarType.Float32)).cumsum(-1);                           // [S, V], non-decreasing
        var draws = tensor(sampling.Select(b => samplers[b].Uniform()).ToArray()).unsqueeze(1);
        var threshold = draws * kept.narrow(1, kept.shape[1] - 1, 1);
        var position = searchsorted(kept, threshold, right: true).minimum(keep.sum(-1, keepdim: true) - 1);
        var picked = order.gather(1, position).squeeze(1).data<long>().ToArray();
        for (var i = 0; i < sampling.Length; i++)
        {
            tokens[sampling[i]] = (int)picked[i];
        }
        return tokens;
    }

    // One uniform draw in [0, 1) from this request's generator.
    private float Uniform()
    {
        using var draw = rand(1, generator: _generator);
        return draw.item<float>();
    }

    /// <inheritdoc />
    public void Dispose() => _generator.Dispose();
}
