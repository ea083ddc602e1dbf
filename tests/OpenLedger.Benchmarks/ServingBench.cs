using System.Diagnostics;
using OpenLedger.Model;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Pretraining;
using OpenLedger.Model.Serving;
using OpenLedger.Model.Tokenization;

namespace OpenLedger.Benchmarks;

/// <summary>
/// Targets G1-G7 of ANCHORS.md for the serving engine, side by side in one process on the demo-size base model
/// ("small"), greedy generation of 16 tokens per request. Baselines run on the same model and engine: one adapter at
/// a time (each adapter's requests batched alone, in turn), merge-then-unmerge per switch, the base model alone, the
/// adapter merged into the weights. Throughput figures are medians of repeats.
/// </summary>
public static class ServingBench
{
    private const int Concurrent = 32;
    private const int MaxTokens = 16;
    private const int Repeats = 5;
    private const string Size = "small";

    /// <summary>Runs every scenario and returns the figures.</summary>
    public static IReadOnlyList<BenchFigure> Run()
    {
        var tokenizer = TextTokenizer.Gpt2();
        using var model = new LlamaModel(BaseModelSizes.Get(Size));
        model.InitialiseWeights(1);
        model.eval();
        var rank8 = new LoraSettings(8, 16, 0, LoraSettings.AllTargets);
        var adapters = Enumerable.Range(0, Concurrent).ToDictionary(i => $"a{i}", i => SyntheticAdapters.Create(model, rank8, i + 1, 0.01, Size));
        var figures = new List<BenchFigure>();
        Progress("G1/G2 mixed batch against one at a time, merge-swap and base only");
        MixedBatch(model, tokenizer, adapters, figures);
        Progress("G3 2,000 adapters against 5 under Zipf traffic");
        Scale(model, tokenizer, rank8, figures);
        Progress("G4 cold loads and first tokens");
        ColdStart(model, tokenizer, adapters, figures);
        Progress("G5 thrashing at twice the resident slots");
        Thrashing(model, tokenizer, adapters, figures);
        Progress("G6 admission by bytes with mixed ranks");
        Admission(model, tokenizer, figures);
        Progress("G7 time between tokens");
        TimeBetweenTokens(model, tokenizer, adapters, figures);
        return figures;
    }

    private static void MixedBatch(LlamaModel model, TextTokenizer tokenizer, Dictionary<string, PeftAdapter> adapters, List<BenchFigure> figures)
    {
        using var pool = new ResidentPool(1L << 30);
        var ids = adapters.Keys.ToList();
        ServingRun Serve(IEnumerable<(int Prompt, string? Adapter)> requests) => ServeAll(model, tokenizer, pool, adapters, Concurrent, requests);
        double Median(Func<(double Seconds, int Tokens)> run)
        {
            run();  // warm-up: loads adapters, settles allocations
            return BenchStatistics.Median(Enumerable.Range(0, Repeats).Select(_ =>
            {
                var (seconds, tokens) = run();
                return tokens / seconds;
            }));
        }
        (double, int) Sum(IEnumerable<ServingRun> runs)
        {
            var list = runs.ToList();
            return (list.Sum(r => r.Seconds), list.Sum(r => r.Tokens));
        }
        (double, int) Timed(Func<ServingRun> run)
        {
            var result = run();
            return (result.Seconds, result.Tokens);
        }

        var mixed = Median(() => Timed(() => Serve(ids.Select((id, i) => (i, (string?)id)))));
        var oneAtATime = Median(() => Sum(ids.Select((id, i) => Serve([(i, id)]))));
        var mergeSwap = Median(() =>
        {
            var watch = Stopwatch.StartNew();
            var tokens = 0;
            for (var i = 0; i < ids.Count; i++)
            {
                tokens += LoraAttachment.WithMerged(model, adapters[ids[i]], () => Serve([(i, null)])).Tokens;
            }
            return (watch.Elapsed.TotalSeconds, tokens);
        });
        var baseOnly = Median(() => Timed(() => Serve(ids.Select((_, i) => (i, (string?)null)))));
        var sameBatched = Median(() => Timed(() => Serve(ids.Select((_, i) => (i, (string?)ids[0])))));
        var sameMerged = Median(() => Timed(() => LoraAttachment.WithMerged(model, adapters[ids[0]], () => Serve(ids.Select((_, i) => (i, (string?)null))))));

        figures.Add(new BenchFigure("mixed batch, 32 adapters: tokens/s", mixed, "tokens/s"));
        figures.Add(new BenchFigure("one adapter at a time: tokens/s", oneAtATime, "tokens/s"));
        figures.Add(new BenchFigure("merge-then-unmerge per switch: tokens/s", mergeSwap, "tokens/s"));
        figures.Add(new BenchFigure("base model only, 32 requests: tokens/s", baseOnly, "tokens/s"));
        figures.Add(new BenchFigure("G1 mixed / one-at-a-time", mixed / oneAtATime, "x", ">= 8", mixed / oneAtATime >= 8));
        figures.Add(new BenchFigure("G1 mixed / merge-swap", mixed / mergeSwap, "x", ">= 25", mixed / mergeSwap >= 25));
        figures.Add(new BenchFigure("G1 one adapter, unmerged batch / merged batch", sameBatched / sameMerged, "x", ">= 0.95", sameBatched / sameMerged >= 0.95));
        figures.Add(new BenchFigure("G2 mixed / base only", mixed / baseOnly, "x", ">= 0.85", mixed / baseOnly >= 0.85));
    }

    private static void Scale(LlamaModel model, TextTokenizer tokenizer, LoraSettings settings, List<BenchFigure> figures)
    {
        const int Requests = 192;
        var registered = Enumerable.Range(0, 2000).ToDictionary(i => $"z{i}", i => SyntheticAdapters.Create(model, settings, 10_000 + i, 0.01, Size));
        // The device holds 64 adapters at a time (S-LoRA's setting: all adapters in host memory, running ones on the device).
        var budget = 64 * ResidentAdapter.BytesFor(registered["z0"], model);
        double Throughput(int adapters)
        {
            var zipf = new Zipf(adapters, exponent: 1.0, seed: 3);
            var runs = Enumerable.Range(0, 3).Select(_ =>
            {
                using var pool = new ResidentPool(budget);
                var run = ServeAll(model, tokenizer, pool, registered, Concurrent,
                    Enumerable.Range(0, Requests).Select(i => (i, (string?)$"z{zipf.Next()}")));
                return run.TokensPerSecond;
            }).ToList();
            return BenchStatistics.Median(runs);
        }
        var five = Throughput(5);
        var twoThousand = Throughput(2000);
        figures.Add(new BenchFigure("Zipf traffic over 5 adapters: tokens/s", five, "tokens/s"));
        figures.Add(new BenchFigure("Zipf traffic over 2,000 adapters: tokens/s", twoThousand, "tokens/s"));
        figures.Add(new BenchFigure("G3 2,000 adapters / 5 adapters", twoThousand / five, "x", ">= 0.85", twoThousand / five >= 0.85));
    }

    private static void ColdStart(LlamaModel model, TextTokenizer tokenizer, Dictionary<string, PeftAdapter> warm, List<BenchFigure> figures)
    {
        // A 2 MB adapter: the rank at which this model's factors (float32, every projection) come to 2 MB.
        var perRank = ResidentAdapter.BytesFor(SyntheticAdapters.Create(model, new LoraSettings(1, 1, 0, LoraSettings.AllTargets), 1, 0.01, Size), model);
        var rank = (int)Math.Round(2.0 * 1024 * 1024 / perRank);
        var large = SyntheticAdapters.Create(model, new LoraSettings(rank, rank, 0, LoraSettings.AllTargets), 5, 0.01, Size);
        var loads = Enumerable.Range(0, 41).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            using var resident = ResidentAdapter.Create(large, model);
            return watch.Elapsed.TotalMilliseconds;
        }).Skip(1).ToList();
        var p50 = BenchStatistics.Median(loads);
        figures.Add(new BenchFigure($"G4 host -> resident p50, {ResidentAdapter.BytesFor(large, model) / 1e6:0.0} MB adapter", p50, "ms", "<= 1", p50 <= 1));

        // First tokens under load: eight rows stay busy with warm adapters and more requests queue behind them; every
        // few steps a probe arrives for a cold adapter (in host memory, never resident) or a warm one.
        var cold = Enumerable.Range(0, 10).ToDictionary(i => $"cold{i}", i => SyntheticAdapters.Create(model, new LoraSettings(8, 16, 0, LoraSettings.AllTargets), 500 + i, 0.01, Size));
        var hosted = warm.Concat(cold).ToDictionary(p => p.Key, p => p.Value);
        using var pool = new ResidentPool(1L << 30);
        using var batch = new ContinuousBatch(model, tokenizer, pool, id => hosted.GetValueOrDefault(id), maxBatch: 8);
        var background = warm.Keys.Take(8).ToList();
        ServingDriver.Drive(batch, background.Select((id, i) => batch.Submit(Prompt(i), id, new SamplingParameters(MaxTokens: 4))));
        batch.Submit(Prompt(0), "a31", new SamplingParameters(MaxTokens: 1));
        ServingDriver.Drive(batch, []);
        var probes = new List<(ContinuousBatch.Sequence Sequence, bool Cold)>();
        var submitted = 0;
        var run = ServingDriver.Drive(batch, [], step =>
        {
            var added = new List<ContinuousBatch.Sequence>();
            if (submitted < 200 && batch.Waiting < 4)
            {
                added.AddRange(background.Select((id, i) => batch.Submit(Prompt(submitted + i), id, new SamplingParameters(MaxTokens: 24))).Take(4));
                submitted += 4;
            }
            if (step % 10 == 5 && probes.Count < 20)
            {
                var isCold = probes.Count % 2 == 0;
                var probe = batch.Submit(Prompt(step), isCold ? $"cold{probes.Count / 2}" : "a31", new SamplingParameters(MaxTokens: 2));
                probes.Add((probe, isCold));
                added.Add(probe);
            }
            return added;
        });
        var coldFirst = BenchStatistics.Median(probes.Where(p => p.Cold).Select(p => run.FirstTokenOf[p.Sequence]));
        var warmFirst = BenchStatistics.Median(probes.Where(p => !p.Cold).Select(p => run.FirstTokenOf[p.Sequence]));
        figures.Add(new BenchFigure("first token under load, warm adapter (p50)", warmFirst * 1000, "ms"));
        figures.Add(new BenchFigure("first token under load, cold adapter (p50)", coldFirst * 1000, "ms"));
        figures.Add(new BenchFigure("G4 cold / warm first token, with prefetch", coldFirst / warmFirst, "x", "<= 1.25", coldFirst / warmFirst <= 1.25));
    }

    private static void Thrashing(LlamaModel model, TextTokenizer tokenizer, Dictionary<string, PeftAdapter> adapters, List<BenchFigure> figures)
    {
        var bytes = ResidentAdapter.BytesFor(adapters.Values.First(), model);
        var requests = adapters.Keys.SelectMany((id, i) => new[] { (i, (string?)id), (i + 40, (string?)id) }).ToList();
        double MedianFirstToken(long budget)
        {
            using var pool = new ResidentPool(budget);
            ServeAll(model, tokenizer, pool, adapters, Concurrent, requests);   // warm-up
            return BenchStatistics.Median(Enumerable.Range(0, 3).Select(_ =>
                BenchStatistics.Median(ServeAll(model, tokenizer, pool, adapters, Concurrent, requests).FirstTokenSeconds)));
        }
        var resident = MedianFirstToken(adapters.Count * bytes);
        var thrashing = MedianFirstToken(adapters.Count / 2 * bytes);
        figures.Add(new BenchFigure("first token p50, 32 adapters all resident", resident * 1000, "ms"));
        figures.Add(new BenchFigure("first token p50, 32 adapters on 16 slots", thrashing * 1000, "ms"));
        figures.Add(new BenchFigure("G5 thrashing / all resident first token", thrashing / resident, "x", "<= 3", thrashing / resident <= 3));
    }

    private static void Admission(LlamaModel model, TextTokenizer tokenizer, List<BenchFigure> figures)
    {
        int[] ranks = [8, 16, 32, 64];
        var adapters = Enumerable.Range(0, 40).ToDictionary(i => $"m{i}",
            i => SyntheticAdapters.Create(model, new LoraSettings(ranks[i % 4], 16, 0, LoraSettings.AllTargets), 900 + i, 0.01, Size));
        var largest = adapters.Values.Max(a => ResidentAdapter.BytesFor(a, model));
        var budget = 3 * largest;
        using var pool = new ResidentPool(budget);
        using var batch = new ContinuousBatch(model, tokenizer, pool, id => adapters.GetValueOrDefault(id), Concurrent);
        var random = new Random(11);
        var sequences = Enumerable.Range(0, 160).Select(i => batch.Submit(Prompt(i), $"m{random.Next(40)}", new SamplingParameters(MaxTokens: 8))).ToList();
        long peak = 0;
        while (batch.Step())
        {
            peak = Math.Max(peak, pool.ResidentBytes);
        }
        var failed = sequences.Count(s => s.Failure is not null || s.FinishReason is not ("stop" or "length"));
        figures.Add(new BenchFigure("G6 peak resident bytes / budget, ranks 8-64", (double)peak / budget, "x", "<= 1", peak <= budget));
        figures.Add(new BenchFigure("G6 failed requests of 160", failed, "count", "0", failed == 0));
    }

    private static void TimeBetweenTokens(LlamaModel model, TextTokenizer tokenizer, Dictionary<string, PeftAdapter> adapters, List<BenchFigure> figures)
    {
        using var pool = new ResidentPool(1L << 30);
        var ids = adapters.Keys.ToList();
        double P99(Func<int, string> adapterOf)
        {
            ServeAll(model, tokenizer, pool, adapters, Concurrent, ids.Select((_, i) => (i, (string?)adapterOf(i))));
            return BenchStatistics.Median(Enumerable.Range(0, Repeats).Select(_ => BenchStatistics.Percentile(
                ServeAll(model, tokenizer, pool, adapters, Concurrent, ids.Select((_, i) => (i, (string?)adapterOf(i)))).GapSeconds, 0.99)));
        }
        var distinct = P99(i => ids[i]);
        var single = P99(_ => ids[0]);
        figures.Add(new BenchFigure("time between tokens p99, 32 distinct adapters", distinct * 1000, "ms"));
        figures.Add(new BenchFigure("time between tokens p99, 32 requests on one adapter", single * 1000, "ms"));
        figures.Add(new BenchFigure("G7 distinct / single adapter p99", distinct / single, "x", "<= 1.3", distinct / single <= 1.3));
    }

    private static ServingRun ServeAll(LlamaModel model, TextTokenizer tokenizer, ResidentPool pool, IReadOnlyDictionary<string, PeftAdapter> adapters,
        int maxBatch, IEnumerable<(int Prompt, string? Adapter)> requests)
    {
        using var batch = new ContinuousBatch(model, tokenizer, pool, id => adapters.GetValueOrDefault(id), maxBatch);
        return ServingDriver.Drive(batch, requests.Select(r => batch.Submit(Prompt(r.Prompt), r.Adapter, new SamplingParameters(MaxTokens: MaxTokens))).ToList());
    }

    private static string Prompt(int i) => $"Request {i}: the shipment for dock {i % 7} arrives at";

    private static void Progress(string what) => Console.Error.WriteLine($"serving bench: {what}");

    // Adapter popularity as a power law: rank k is drawn with probability proportional to 1 / k^exponent.
    private sealed class Zipf(int count, double exponent, int seed)
    {
        private readonly double[] _cumulative = Cumulative(count, exponent);
        private readonly Random _random = new(seed);

        public int Next()
        {
            var index = Array.BinarySearch(_cumulative, _random.NextDouble() * _cumulative[^1]);
            return index >= 0 ? index : Math.Min(~index, count - 1);
        }

        private static double[] Cumulative(int count, double exponent)
        {
            var cumulative = new double[count];
            var total = 0.0;
            for (var k = 0; k < count; k++)
            {
                total += 1 / Math.Pow(k + 1, exponent);
                cumulative[k] = total;
            }
            return cumulative;
        }
    }
}
