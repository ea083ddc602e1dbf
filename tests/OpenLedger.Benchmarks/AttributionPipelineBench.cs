using System.Diagnostics;
using System.Text;
using OpenLedger.Attribution.Influence;
using OpenLedger.Attribution.Shares;
using OpenLedger.Attribution.Spans;
using OpenLedger.Model;
using OpenLedger.Model.Influence;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Pretraining;
using OpenLedger.Model.Tokenization;
using static TorchSharp.torch;

namespace OpenLedger.Benchmarks;

/// <summary>
/// The attribution engine end to end, as the grid runs it for one inference (InfluenceModels, AttributionShardGrain,
/// AttributionGrain), in one process: for each of 4 checkpoints the checkpoint's adapter is attached, the completion's
/// projected gradient taken (k = 16) and preconditioned by the checkpoint's DataInf inverse; every shard scores its
/// examples (TracIn over the checkpoints) and finds its local verbatim spans in parallel; the answers are merged and
/// turned into shares. The training set is 2,000 examples of 64-128 real tokens (generated English, GPT-2 tokens) on
/// the "small" model, 40 contributors, 2 Datanets x 2 shards (the grid's default shards per Datanet); outputs are 64
/// held-out tokens after a 16-token prompt. Shards score through the grid's relevance gate (DataInf self-influence,
/// minimum relative influence 0.1). Of the kept training gradients, the first 32 examples' are real; the rest are
/// random rows of the index's exact shape, scaled like the real ones: taking 2,000 x 4 real ones is the index build
/// (minutes on 2 cores), and no per-inference step's cost depends on their values. Then fan-out: the same examples in 1, 2, 4 and 8 shards, and every sharded answer
/// checked to be bit-identical to one shard's.
/// </summary>
public static class AttributionPipelineBench
{
    private const string Size = "small";
    private const int TrainingExamples = 2000;
    private const int MinTokens = 64;
    private const int MaxTokens = 128;
    private const int PromptTokens = 16;
    private const int OutputTokens = 64;
    private const int Inferences = 32;
    private const int WarmupInferences = 2;
    private const int Contributors = 40;
    private const int ExamplesPerContribution = 10;
    private const int Datanets = 2;
    private const int ShardsPerDatanet = 2;
    private const int Dimensions = 16;
    private const long ProjectionSeed = 1729;
    private const int TopExamples = 8;
    private const int MinSpanTokens = 6;
    private const int MaxSpanSources = 4;
    private const double MinRelevance = 0.1;
    private const int RealRows = 32;
    private const int FanOutRounds = 3;

    private static readonly double[] _learningRates = [1e-3, 7.5e-4, 5e-4, 2.5e-4];
    private static readonly int[] _fanOut = [1, 2, 4, 8];

    /// <summary>Measures latency per inference, then fan-out throughput, and returns the figures.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(Action<string> progress)
    {
        var tokenizer = TextTokenizer.Gpt2();
        var training = AttributionCorpus.Sequences(tokenizer, 31, TrainingExamples, MinTokens, MaxTokens);
        var examples = training.Select((_, i) => new ExampleRef(i, $"contribution-{i / ExamplesPerContribution}",
            $"0x{i / ExamplesPerContribution % Contributors + 1:x40}")).ToList();
        var completions = AttributionCorpus.Sequences(tokenizer, 32, WarmupInferences + Inferences, PromptTokens + OutputTokens, PromptTokens + OutputTokens);

        using var model = new LlamaModel(BaseModelSizes.Get(Size));
        model.InitialiseWeights(1);
        var lora = new LoraSettings(8, 16, 0, LoraSettings.AllTargets);
        var adapters = Enumerable.Range(0, _learningRates.Length).Select(c => SyntheticAdapters.Create(model, lora, 100 + c, 0.01, Size)).ToList();
        using var projector = new GradientProjector(model, Dimensions, ProjectionSeed);

        progress($"pipeline: index of {TrainingExamples:N0} examples ({training.Sum(t => t.Length):N0} tokens) at {_learningRates.Length} checkpoints: gradient rows, DataInf fits");
        var index = BuildIndex(model, projector, adapters, training);
        var engine = new Engine(model, projector, adapters, index, examples);

        var figures = new List<BenchFigure>
        {
            new("pipeline: training examples", TrainingExamples, "count"),
            new("pipeline: training tokens", training.Sum(t => t.Length), "count"),
            new("pipeline: gradient dimensions per checkpoint", index[0].Dimensions, "count"),
        };
        var shardCount = Datanets * ShardsPerDatanet;
        progress($"pipeline: {WarmupInferences} warm-up + {Inferences} inferences over {shardCount} shards");
        var grid = Split(training, examples, index, shardCount);
        var queries = new List<Query>();
        var latency = new List<double>();
        var (queryTimes, shardTimes, mergeTimes) = (new List<double>(), new List<double>(), new List<double>());
        var (spanCounts, contributorCounts, gradientCounts) = (new List<double>(), new List<double>(), new List<double>());
        foreach (var (completion, i) in completions.Select((c, i) => (c, i)))
        {
            var watch = Stopwatch.StartNew();
            var inference = engine.Gradients(completion);
            var (vectors, norm) = (inference.Vectors, inference.Norm);
            var afterQuery = watch.Elapsed.TotalMilliseconds;
            var output = completion[PromptTokens..];
            var answers = await Task.WhenAll(grid.Select(shard => Task.Run(() => shard.Answer(vectors, norm, output))));
            var afterShards = watch.Elapsed.TotalMilliseconds;
            var attribution = engine.Combine(answers);
            var total = watch.Elapsed.TotalMilliseconds;
            if (i < WarmupInferences)
            {
                continue;
            }
            queries.Add(new Query(vectors, norm, output, attribution.Fingerprint()));
            latency.Add(total);
            queryTimes.Add(afterQuery);
            shardTimes.Add(afterShards - afterQuery);
            mergeTimes.Add(total - afterShards);
            spanCounts.Add(attribution.Spans.Count);
            contributorCounts.Add(attribution.Shares.Count);
            gradientCounts.Add(attribution.Merged.ContributorSums.Count(p => p.Value > 0));
        }
        var (p50, p99) = (BenchStatistics.Percentile(latency, 0.5), BenchStatistics.Percentile(latency, 0.99));
        figures.Add(new BenchFigure("pipeline: attribution latency p50", p50, "ms"));
        figures.Add(new BenchFigure("pipeline: attribution latency p99", p99, "ms"));
        figures.Add(new BenchFigure("pipeline: query gradients (4 checkpoints) p50", BenchStatistics.Median(queryTimes), "ms"));
        figures.Add(new BenchFigure("pipeline: shards (score + local spans) p50", BenchStatistics.Median(shardTimes), "ms"));
        figures.Add(new BenchFigure("pipeline: merge + shares p50", BenchStatistics.Median(mergeTimes), "ms"));
        figures.Add(new BenchFigure("pipeline: verbatim spans per inference p50", BenchStatistics.Median(spanCounts), "count"));
        figures.Add(new BenchFigure("pipeline: contributors with a share p50", BenchStatistics.Median(contributorCounts), "count"));
        figures.Add(new BenchFigure("pipeline: contributors with gradient evidence p50", BenchStatistics.Median(gradientCounts), "count"));
        BenchTable.Print($"attribution latency per inference ({Inferences} inferences, {shardCount} shards, {Environment.ProcessorCount} cores)",
        [
            ["stage", "p50 ms", "p99 ms"],
            ["query gradients, 4 checkpoints", $"{BenchStatistics.Median(queryTimes):0.0}", $"{BenchStatistics.Percentile(queryTimes, 0.99):0.0}"],
            ["shards: score + local spans", $"{BenchStatistics.Median(shardTimes):0.0}", $"{BenchStatistics.Percentile(shardTimes, 0.99):0.0}"],
            ["merge + shares", $"{BenchStatistics.Median(mergeTimes):0.00}", $"{BenchStatistics.Percentile(mergeTimes, 0.99):0.00}"],
            ["total", $"{p50:0.0}", $"{p99:0.0}"],
        ]);

        figures.AddRange(await FanOutAsync(engine, training, examples, index, queries, progress));
        return figures;
    }

    // Inferences per second with the same examples in S shards, each inference's shards scored in parallel. Every
    // shard count answers every query once first (checked against one shard's answer), then the timed rounds go
    // round-robin over the shard counts, so load from other processes falls on each alike.
    private static async Task<IReadOnlyList<BenchFigure>> FanOutAsync(
        Engine engine, List<int[]> training, List<ExampleRef> examples, List<CheckpointIndex> index, List<Query> queries, Action<string> progress)
    {
        var cores = Environment.ProcessorCount;
        var layouts = new List<List<Shard>>();
        string[]? reference = null;
        foreach (var count in _fanOut)
        {
            progress($"fan-out: {count} shard(s): answers for {queries.Count} inferences, checked against 1 shard");
            var shards = Split(training, examples, index, count);
            layouts.Add(shards);
            var fingerprints = new string[queries.Count];
            await RoundAsync(engine, shards, queries, fingerprints);
            reference ??= fingerprints;
            for (var q = 0; q < queries.Count; q++)
            {
                // Fail loudly: a sharded answer that differs from one shard's in any bit is a bug, not a measurement.
                if (fingerprints[q] != reference[q] || fingerprints[q] != queries[q].Fingerprint)
                {
                    throw new InvalidOperationException(
                        $"Inference {q} over {count} shards differs from the single-shard answer:\n  {count} shards: {fingerprints[q]}\n  1 shard: {reference[q]}\n  pipeline: {queries[q].Fingerprint}");
                }
            }
        }
        var seconds = _fanOut.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < FanOutRounds; r++)
        {
            progress($"fan-out: timed round {r + 1}/{FanOutRounds} over {string.Join(", ", _fanOut)} shards, {queries.Count} inferences each");
            for (var s = 0; s < _fanOut.Length; s++)
            {
                seconds[s].Add(await RoundAsync(engine, layouts[s], queries, null));
            }
        }

        var figures = new List<BenchFigure>();
        var table = new List<string[]> { new[] { "shards", "inferences/s", "vs 1 shard", "target", "", "answers" } };
        var single = queries.Count / BenchStatistics.Median(seconds[0]);
        for (var s = 0; s < _fanOut.Length; s++)
        {
            var count = _fanOut[s];
            var rate = queries.Count / BenchStatistics.Median(seconds[s]);
            figures.Add(new BenchFigure($"fan-out: {count} shard(s) inferences/s", rate, "inferences/s"));
            if (count == 1)
            {
                table.Add(["1", $"{rate:0.00}", "1.00x", "", "", "reference"]);
                continue;
            }
            var scaling = rate / single;
            var target = 0.7 * count;
            figures.Add(new BenchFigure($"fan-out: {count} shards / 1 shard throughput", scaling, "x",
                $">= {target:0.0} (0.7 x {count}){(count > cores ? $"; {cores} cores cap it at {cores}x" : "")}", scaling >= target));
            table.Add([$"{count}", $"{rate:0.00}", $"{scaling:0.00}x", $">= {target:0.0}", scaling >= target ? "holds" : "MISSED", "bit-identical"]);
        }
        figures.Add(new BenchFigure("fan-out: cores", cores, "count"));
        figures.Add(new BenchFigure("fan-out: sharded results bit-identical to 1 shard", 1, "bool", "identical", true));
        BenchTable.Print($"fan-out throughput ({queries.Count} inferences per round, median of {FanOutRounds} rounds; Environment.ProcessorCount = {cores})", table);
        if (_fanOut.Any(s => s > cores))
        {
            Console.WriteLine($"  note: this machine has {cores} cores, so more than {cores} shards in one process cannot run faster than {cores}x; " +
                "the targets for those rows need as many cores (or silos) as shards.");
        }
        return figures;
    }

    // Answers every query in turn, each one's shards in parallel; returns the seconds taken, recording answers when asked.
    private static async Task<double> RoundAsync(Engine engine, List<Shard> shards, List<Query> queries, string[]? fingerprints)
    {
        var watch = Stopwatch.StartNew();
        for (var q = 0; q < queries.Count; q++)
        {
            var query = queries[q];
            var answers = await Task.WhenAll(shards.Select(shard => Task.Run(() => shard.Answer(query.Vectors, query.Norm, query.Output))));
            var attribution = engine.Combine(answers);
            if (fingerprints is not null)
            {
                fingerprints[q] = attribution.Fingerprint();
            }
        }
        return watch.Elapsed.TotalSeconds;
    }

    private static List<CheckpointIndex> BuildIndex(LlamaModel model, GradientProjector projector, List<PeftAdapter> adapters, List<int[]> training)
    {
        var index = new List<CheckpointIndex>();
        try
        {
            for (var c = 0; c < adapters.Count; c++)
            {
                adapters[c].ApplyTo(model);
                var layout = ProjectedGradients.Layout(model, Dimensions);
                var blocks = LayerBlock.Contiguous(layout);
                var width = layout.Sum(l => l.Length);
                // Real rows for the first examples, which also give the scale the rest are drawn at.
                var real = ProjectedGradients.OfExamples(projector, model, training.Take(RealRows).ToList(), MaxTokens, 16);
                var scale = Math.Sqrt(real.Average(v => (double)v * v));
                float[] rows;
                using (var generator = new Generator((ulong)(500 + c)))
                using (var draw = randn(new long[] { training.Count, width }, generator: generator) * scale)
                {
                    rows = draw.data<float>().ToArray();
                }
                real.CopyTo(rows, 0);
                var inverse = DataInf.Fit(blocks, rows, training.Count);
                index.Add(new CheckpointIndex(_learningRates[c], width, rows, inverse, inverse.SelfInfluence(rows, training.Count)));
            }
        }
        finally
        {
            LoraAttachment.DetachAll(model);
        }
        return index;
    }

    // Contiguous runs of examples, as the grid cuts a Datanet's examples into shards; example ids stay global.
    private static List<Shard> Split(List<int[]> training, List<ExampleRef> examples, List<CheckpointIndex> index, int count)
    {
        var shards = new List<Shard>();
        for (var s = 0; s < count; s++)
        {
            var (from, to) = (training.Count * s / count, training.Count * (s + 1) / count);
            var gradients = index.Select(c => new CheckpointGradients(c.LearningRate, c.Dimensions,
                c.Rows.AsSpan(from * c.Dimensions, (to - from) * c.Dimensions).ToArray(), c.SelfInfluence[from..to])).ToList();
            var members = examples.GetRange(from, to - from);
            var spans = SuffixArray.Build(TokenCorpus.From(training.GetRange(from, to - from)));
            shards.Add(new Shard(new InfluenceShard(members, gradients), spans, members.Select(e => e.ExampleId).ToArray()));
        }
        return shards;
    }

    private sealed record CheckpointIndex(double LearningRate, int Dimensions, float[] Rows, DataInf Inverse, double[] SelfInfluence);

    private sealed record Query(IReadOnlyList<float[]> Vectors, double Norm, int[] Output, string Fingerprint);

    private sealed record ShardAnswer(ShardResult Influence, LocalSpans Spans);

    // What one shard grain does for a query.
    private sealed class Shard(InfluenceShard influence, SuffixArray spans, long[] documentIds)
    {
        public ShardAnswer Answer(IReadOnlyList<float[]> query, double queryNorm, int[] output) =>
            new(influence.Score(query, TopExamples, gate: new RelevanceGate(queryNorm, MinRelevance)), SpanFinder.FindLocal(output, spans, documentIds, MinSpanTokens, MaxSpanSources));
    }

    private sealed record Attribution(ShardResult Merged, IReadOnlyList<VerbatimSpan> Spans, IReadOnlyList<ContributorShare> Shares)
    {
        // Every value of the answer, exactly (doubles by their bits): equal strings mean bit-identical answers.
        public string Fingerprint()
        {
            var text = new StringBuilder();
            foreach (var share in Shares)
            {
                text.Append($"share {share.Contributor}={share.PartsPerBillion};");
            }
            foreach (var top in Merged.Top)
            {
                text.Append($"top {top.Example.ExampleId}:{top.Example.ContributionId}:{top.Example.Contributor}={top.Score};");
            }
            foreach (var (contributor, sum) in Merged.ContributorSums.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append($"sum {contributor}={sum};");
            }
            foreach (var span in Spans)
            {
                text.Append($"span {span.Start}+{span.Length}x{span.Occurrences}w{BitConverter.DoubleToInt64Bits(span.Weight):x}@{string.Join(",", span.Sources.Select(s => $"{s.ExampleId}.{s.Offset}"))};");
            }
            return text.ToString();
        }
    }

    // The grid's per-inference steps outside the shards: the query gradients (InfluenceModels) and the merge (AttributionGrain).
    private sealed class Engine(LlamaModel model, GradientProjector projector, List<PeftAdapter> adapters, List<CheckpointIndex> checkpoints, List<ExampleRef> examples)
    {
        // The preconditioned gradient at each checkpoint and the inference's own Σ lr·v·H⁻¹v, the relevance gate's scale.
        public InferenceQuery Gradients(int[] completion)
        {
            var query = new InferenceQuery();
            try
            {
                for (var c = 0; c < adapters.Count; c++)
                {
                    adapters[c].ApplyTo(model);
                    query.Add(ProjectedGradients.OfCompletion(projector, model, completion, PromptTokens, MaxTokens), checkpoints[c].Inverse, checkpoints[c].LearningRate);
                }
            }
            finally
            {
                LoraAttachment.DetachAll(model);
            }
            return query;
        }

        public Attribution Combine(IReadOnlyList<ShardAnswer> answers)
        {
            var merged = ShardResult.Merge(answers.Select(a => a.Influence), TopExamples);
            var spans = SpanFinder.Merge(answers.Select(a => a.Spans).ToList(), MaxSpanSources);
            var evidence = AttributionShares.SpanEvidence(spans, s => examples[(int)s.ExampleId].Contributor);
            return new Attribution(merged, spans, AttributionShares.Compute(merged.ContributorSums, evidence, SharePolicy.Default));
        }
    }
}
