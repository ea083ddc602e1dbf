using System.Diagnostics;
using OpenLedger.Model;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Pretraining;
using OpenLedger.Model.Serving;
using static TorchSharp.torch;

namespace OpenLedger.Benchmarks;

/// <summary>
/// An early measure of targets G1 and G2 (ANCHORS.md) for the engine's batched multi-adapter forward: 32 requests of
/// 16 tokens on the demo-size model, each for a different rank-8 adapter on q, k, v, o. Side by side in one process:
/// one batch with every adapter gathered per row; one adapter at a time (a batch per adapter, same kernel); merge the
/// adapter into the weights, run, unmerge, per switch; the base model alone; and all 32 requests on one adapter.
/// Each figure is the median of 11 timed repeats after a warm-up.
/// </summary>
public static class AdapterBatchBench
{
    private const int Adapters = 32;
    private const int Tokens = 16;
    private const int Repeats = 11;

    /// <summary>Runs the comparison and returns its figures.</summary>
    public static IReadOnlyList<BenchFigure> Run()
    {
        using var model = new LlamaModel(BaseModelSizes.Get("small"));
        model.InitialiseWeights(1);
        model.eval();
        var settings = new LoraSettings(8, 16, 0, LoraSettings.AttentionTargets);
        var adapters = Enumerable.Range(0, Adapters).Select(i => SyntheticAdapters.Create(model, settings, i, 0.01, "small")).ToList();
        var stacks = AdapterStack.ForModel(model, adapters);
        var factors = adapters.Select(a => a.Factors(model)).ToList();
        var random = new Random(5);
        var prompts = Enumerable.Range(0, Adapters).Select(_ => Enumerable.Range(0, Tokens).Select(_ => (long)random.Next(50000)).ToArray()).ToArray();
        using var batch = tensor(prompts.SelectMany(p => p).ToArray(), new long[] { Adapters, Tokens });
        using var mixedSlots = tensor(Enumerable.Range(1, Adapters).Select(i => (long)i).ToArray());
        using var sameSlots = tensor(Enumerable.Repeat(1L, Adapters).ToArray());
        using var noGrad = no_grad();

        double Batched(Tensor slots) => Time(() =>
        {
            using var serving = model.ServeAdapters(stacks, slots);
            using var logits = model.forward(batch);
        });
        double OneAtATime(Func<int, long> slotOf) => Time(() =>
        {
            for (var row = 0; row < Adapters; row++)
            {
                using var one = tensor(new[] { slotOf(row) });
                using var serving = model.ServeAdapters(stacks, one);
                using var tokens = batch.narrow(0, row, 1);
                using var logits = model.forward(tokens);
            }
        });
        double MergeSwap() => Time(() =>
        {
            var projections = model.Projections().ToDictionary(p => p.Path, p => p.Projection);
            for (var row = 0; row < Adapters; row++)
            {
                foreach (var (path, (a, b, scaling)) in factors[row])
                {
                    projections[path].AttachLora(a, b, scaling, 0, null);
                    projections[path].Merge();
                    projections[path].DetachLora();
                }
                using (var tokens = batch.narrow(0, row, 1))
                using (var logits = model.forward(tokens))
                {
                }
                foreach (var (path, (a, b, scaling)) in factors[row])
                {
                    projections[path].AttachLora(a, b, scaling, 0, null);
                    projections[path].Unmerge();
                    projections[path].DetachLora();
                }
            }
        });
        double BaseOnly() => Time(() =>
        {
            using var logits = model.forward(batch);
        });

        Batched(mixedSlots);
        var mixed = Median(() => Batched(mixedSlots));
        var oneAtATime = Median(() => OneAtATime(row => row + 1));
        var mergeSwap = Median(MergeSwap);
        var baseOnly = Median(BaseOnly);
        var same = Median(() => Batched(sameSlots));
        var sameOneAtATime = Median(() => OneAtATime(_ => 1));
        var tokens = (double)Adapters * Tokens;
        return
        [
            new BenchFigure("mixed batch, 32 adapters: tokens/s", tokens / mixed, "tokens/s"),
            new BenchFigure("one adapter at a time: tokens/s", tokens / oneAtATime, "tokens/s"),
            new BenchFigure("merge-then-unmerge per switch: tokens/s", tokens / mergeSwap, "tokens/s"),
            new BenchFigure("G1 mixed / one-at-a-time", oneAtATime / mixed, "x", ">= 8", oneAtATime / mixed >= 8),
            new BenchFigure("G1 mixed / merge-swap", mergeSwap / mixed, "x", ">= 25", mergeSwap / mixed >= 25),
            new BenchFigure("G1 one adapter batched / one-at-a-time", sameOneAtATime / same, "x", ">= 0.95", sameOneAtATime / same >= 0.95),
            new BenchFigure("G2 mixed / base only throughput", baseOnly / mixed, "x", ">= 0.85", baseOnly / mixed >= 0.85),
        ];
    }

    private static double Median(Func<double> measure)
    {
        var times = Enumerable.Range(0, Repeats).Select(_ => measure()).Order().ToList();
        return times[Repeats / 2];
    }

    private static double Time(Action run)
    {
        var watch = Stopwatch.StartNew();
        run();
        return watch.Elapsed.TotalSeconds;
    }
}
