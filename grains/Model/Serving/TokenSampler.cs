using static TorchSharp.torch;

namespace OpenLedger.Model.Serving;

/// <summary>Picks the next token from one row of logits by <see cref="SamplingParameters"/>.</summary>
public sealed class TokenSampler : IDisposable
{
    // How many of the most likely tokens a partial sort considers for top-p before falling back to a full sort.
    private const long Candidates = 256;

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
    /// Greedy rows share one argmax; sampling rows share one softmax and a few batched operations, however many rows
    /// there are. Each sampling row draws a single uniform number from its own seeded generator and inverts its own
    /// kept distribution with it, so a request's tokens never depend on which requests share its batch.
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
        var probabilities = (scores.index_select(0, rows) / temperature).softmax(-1);                 // [S, V]
        var draws = sampling.Select(b => samplers[b].Uniform()).ToArray();
        var topP = sampling.Select(b => samplers[b]._parameters.TopP).ToArray();
        var picked = new long[sampling.Length];

        // Without top-p the whole distribution is kept: invert its running sum in vocabulary order, no sort needed.
        var whole = Enumerable.Range(0, sampling.Length).Where(i => topP[i] >= 1).ToArray();
        Invert(whole, i => probabilities[i].unsqueeze(0), order: null);
        // With top-p, the nucleus almost always lies among the most likely few hundred tokens: a partial sort finds them.
        var nucleus = Enumerable.Range(0, sampling.Length).Where(i => topP[i] < 1).ToArray();
        var candidates = Math.Min(Candidates, probabilities.shape[1]);
        var missed = new List<int>();
        if (nucleus.Length > 0)
        {
            var (top, topOrder) = probabilities.index_select(0, tensor(nucleus.Select(i => (long)i).ToArray())).topk((int)candidates, -1);
            var mass = top.sum(-1).data<float>().ToArray();
            var covered = Enumerable.Range(0, nucleus.Length).Where(k => mass[k] >= topP[nucleus[k]]).ToArray();
            missed.AddRange(Enumerable.Range(0, nucleus.Length).Where(k => mass[k] < topP[nucleus[k]]).Select(k => nucleus[k]));
            KeepNucleus(covered.Select(k => nucleus[k]).ToArray(), covered.Select(k => (top[k], topOrder[k])).ToArray());
        }
        // Flat distributions whose nucleus is wider than the candidates: a full sort, for those rows only.
        if (missed.Count > 0)
        {
            var (sorted, order) = probabilities.index_select(0, tensor(missed.Select(i => (long)i).ToArray())).sort(-1, descending: true);
            KeepNucleus(missed.ToArray(), Enumerable.Range(0, missed.Count).Select(k => (sorted[k], order[k])).ToArray());
        }
        for (var i = 0; i < sampling.Length; i++)
        {
            tokens[sampling[i]] = (int)picked[i];
        }
        return tokens;

        // Keeps the most likely tokens until their mass reaches top_p (always at least the first), then inverts.
        void KeepNucleus(int[] which, (Tensor Sorted, Tensor Order)[] descending)
        {
            if (which.Length == 0)
            {
                return;
            }
            var sorted = stack(descending.Select(d => d.Sorted));
            var order = stack(descending.Select(d => d.Order));
            var limit = tensor(which.Select(i => (float)topP[i]).ToArray()).unsqueeze(1);
            var kept = sorted * ((sorted.cumsum(-1) - sorted) < limit).to_type(ScalarType.Float32);
            Invert(which, k => kept[k].unsqueeze(0), order, byPosition: true);
        }

        // Picks, for each row, the first token whose running mass exceeds the row's draw times its total mass.
        void Invert(int[] which, Func<int, Tensor> rowOf, Tensor? order, bool byPosition = false)
        {
            if (which.Length == 0)
            {
                return;
            }
            var kept = cat(Enumerable.Range(0, which.Length).Select(k => rowOf(byPosition ? k : which[k])).ToArray(), 0);   // [N, W]
            var running = kept.cumsum(-1);
            var threshold = tensor(which.Select(i => draws[i]).ToArray()).unsqueeze(1) * running.narrow(1, running.shape[1] - 1, 1);
            var nonzero = (kept > 0).to_type(ScalarType.Int64);
            // The last token with any mass: a draw that rounds past the total lands there, never on a dropped token.
            var lastKept = (nonzero * arange(kept.shape[1]).unsqueeze(0)).max(-1, keepdim: true).values;
            var position = searchsorted(running, threshold, right: true).minimum(lastKept);
            var chosen = (order is null ? position : order.gather(1, position)).squeeze(1).data<long>().ToArray();
            for (var k = 0; k < which.Length; k++)
            {
                picked[which[k]] = chosen[k];
            }
        }
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
