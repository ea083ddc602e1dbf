using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using static TorchSharp.torch;

namespace OpenLedger.Model.Tests;

/// <summary>
/// Many adapters of mixed ranks in one batch: every row must equal that row run alone on the model with its own
/// adapter merged into the weights (or on the base model when it has none), for the prompt and for decode steps.
/// </summary>
public sealed class BatchedAdapterTests
{
    private static readonly LoraSettings[] _mixedRanks =
    [
        new(2, 4, 0, ["q_proj", "v_proj"]),
        new(8, 16, 0, LoraSettings.AllTargets),
        new(4, 4, 0, ["o_proj", "down_proj"], UseRslora: true),
    ];

    [Fact]
    public void A_mixed_rank_batch_equals_each_row_on_its_merged_model()
    {
        var config = TinyModels.Config();
        using var model = TinyModels.Random(config, seed: 51);
        var adapters = _mixedRanks.Select((s, i) => SyntheticAdapters.Create(model, s, i + 1, 0.2, "tiny")).ToArray();
        long[][] prompts = [[3, 9, 1, 4, 7], [2, 2, 8, 5, 1], [6, 0, 3, 3, 9], [1, 4, 1, 5, 9]];
        int?[] rows = [0, 1, null, 2];

        var resident = adapters.Select(a => ResidentAdapter.Create(a, model)).ToArray();
        float[] batched;
        using (no_grad())
        using (var tokens = TinyModels.Tokens(prompts))
        using (model.ServeAdapters(rows.Select(r => r is { } i ? resident[i] : null).ToList()))
        {
            batched = TinyModels.Values(model.forward(tokens));
        }

        var perRow = prompts[0].Length * config.VocabSize;
        for (var row = 0; row < prompts.Length; row++)
        {
            var adapter = rows[row] is { } i ? adapters[i] : null;
            float[] alone;
            using (no_grad())
            {
                alone = LoraAttachment.WithMerged(model, adapter, () => TinyModels.Values(model.forward(TinyModels.Tokens(prompts[row]))));
            }
            TinyModels.AssertClose(alone, batched[(row * perRow)..((row + 1) * perRow)], 1e-4, $"row {row}");
        }
        foreach (var r in resident)
        {
            r.Dispose();
        }
    }

    [Fact]
    public void Decode_steps_over_rows_of_different_lengths_equal_each_sequence_on_its_merged_model()
    {
        var config = TinyModels.Config();
        using var model = TinyModels.Random(config, seed: 52);
        using var noGrad = no_grad();
        var adapters = _mixedRanks.Select((s, i) => SyntheticAdapters.Create(model, s, i + 10, 0.2, "tiny")).ToArray();
        var resident = adapters.Select(a => ResidentAdapter.Create(a, model)).ToArray();
        long[][] prompts = [[3, 9, 1], [2, 2, 8, 5, 1, 7, 7], [6], [1, 4, 1, 5]];
        int?[] rows = [2, 0, null, 1];
        long[][] steps = [[5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]];

        // Batched: each prompt prefilled alone into its row, then three decode steps for all rows at once.
        using var cache = new BatchKvCache(config, rows: 4, ScalarType.Float32, CPU);
        for (var row = 0; row < prompts.Length; row++)
        {
            using var history = new KvCache(config.NumHiddenLayers);
            using (model.ServeAdapters([rows[row] is { } i ? resident[i] : null]))
            using (model.Forward(TinyModels.Tokens(prompts[row]), history))
            {
            }
            cache.Load(row, history);
        }
        var batched = new List<float[]>();
        using (model.ServeAdapters(rows.Select(r => r is { } i ? resident[i] : null).ToList()))
        {
            foreach (var step in steps)
            {
                using var tokens = tensor(step, new long[] { 4, 1 });
                batched.Add(TinyModels.Values(model.ForwardRows(tokens, cache)));
            }
        }

        var vocab = config.VocabSize;
        for (var row = 0; row < prompts.Length; row++)
        {
            var adapter = rows[row] is { } i ? adapters[i] : null;
            var alone = LoraAttachment.WithMerged(model, adapter, () =>
            {
                using var history = new KvCache(config.NumHiddenLayers);
                model.Forward(TinyModels.Tokens(prompts[row]), history).Dispose();
                return steps.Select(step => TinyModels.Values(model.Forward(TinyModels.Tokens([step[row]]), history))).ToList();
            });
            for (var s = 0; s < steps.Length; s++)
            {
                TinyModels.AssertClose(alone[s], batched[s][(row * vocab)..((row + 1) * vocab)], 1e-4, $"row {row} step {s}");
            }
        }
        foreach (var r in resident)
        {
            r.Dispose();
        }
    }

    [Fact]
    public void The_kernel_matches_a_plain_tensor_computation_for_odd_widths_and_ranks()
    {
        // Widths that are not multiples of the vector length, and ranks that are not multiples of four.
        const int inFeatures = 45, outFeatures = 70, tokens = 3;
        using var generator = new Generator(7);
        int?[] ranks = [5, null, 1, 12, 5];
        var factors = ranks.Select(r => r is { } rank
            ? (A: randn(rank, inFeatures, generator: generator), B: randn(outFeatures, rank, generator: generator), Scaling: 0.5 + rank)
            : default).ToArray();
        var laidOut = factors.Select((f, i) => ranks[i] is null ? null : LoraFactors.Create(f.A, f.B, f.Scaling, CPU)).ToList();
        using var x = randn(new long[] { ranks.Length, tokens, inFeatures }, generator: generator);
        using var y = randn(new long[] { ranks.Length, tokens, outFeatures }, generator: generator);
        using var expected = y.clone();
        for (var row = 0; row < ranks.Length; row++)
        {
            if (ranks[row] is not null)
            {
                var (a, b, scaling) = factors[row];
                expected[row].add_(x[row].matmul(a.t()).matmul(b.t()) * scaling);
            }
        }

        LoraKernel.AddDelta(x, y, laidOut);

        TinyModels.AssertClose(TinyModels.Values(expected), TinyModels.Values(y), 1e-3, "delta");
    }
}
