using System.Diagnostics;
using OpenLedger.Attribution.Influence;
using OpenLedger.Model;
using OpenLedger.Model.Influence;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Pretraining;
using OpenLedger.Model.Tokenization;
using OpenLedger.Model.Training;
using OpenLedger.Testing;
using static TorchSharp.torch;

namespace OpenLedger.Benchmarks;

/// <summary>
/// Projected against exact per-example LoRA gradients (ANCHORS.md: Spearman >= 0.9 at >= 10x the throughput). On the
/// "base" model (random weights, rank-8 LoRA on all seven projections with random B, so every factor has a gradient),
/// train·test influence scores come from exact flattened gradients (ExampleGradients.Compute + Flatten) and from
/// LoGra projections (GradientProjector.Project) at k = 16, the grid's default, and k = 64. Throughput is end to end,
/// as attribution pays it: each path's gradients for the train and test sequences plus the train × test dot products.
/// Storage-side figures (scoring already stored rows with InfluenceShard, bytes per example) come alongside.
/// </summary>
public static class GradientProjectionBench
{
    private const string Size = "base";
    private const int TrainExamples = 64;
    private const int TestExamples = 8;
    private const int SequenceTokens = 65;   // 64 predicted tokens
    private const int BatchSize = 16;
    private const int Repeats = 3;
    private const int ScoringRepeats = 7;
    private const long ProjectionSeed = 1729;

    private static readonly int[] _dimensions = [16, 64];

    /// <summary>Measures both paths and returns the figures; <paramref name="progress"/> hears each step.</summary>
    public static IReadOnlyList<BenchFigure> Run(Action<string> progress)
    {
        var tokenizer = TextTokenizer.Gpt2();
        var train = AttributionCorpus.Sequences(tokenizer, 21, TrainExamples, SequenceTokens, SequenceTokens);
        var test = AttributionCorpus.Sequences(tokenizer, 22, TestExamples, SequenceTokens, SequenceTokens);
        using var model = new LlamaModel(BaseModelSizes.Get(Size));
        model.InitialiseWeights(1);
        LoraAttachment.AttachFresh(model, new LoraSettings(8, 16, 0, LoraSettings.AllTargets), 2, null);
        RandomiseB(model, 3);

        // Repeats are interleaved (exact, k=16, k=64, exact, ...) so that load from other processes falls on every path alike.
        var projectors = _dimensions.Select(k => new GradientProjector(model, k, ProjectionSeed)).ToList();
        PathResult[] results;
        try
        {
            var paths = new List<(string Name, Func<PathRun> Run)> { ("exact", () => ExactRun(model, train, test)) };
            paths.AddRange(projectors.Select(p => ($"projected k={p.Dimensions}", (Func<PathRun>)(() => ProjectedRun(model, p, train, test)))));
            var first = new PathRun[paths.Count];
            var seconds = paths.Select(_ => new List<double>()).ToArray();
            for (var r = 0; r < Repeats; r++)
            {
                for (var p = 0; p < paths.Count; p++)
                {
                    progress($"gradients: repeat {r + 1}/{Repeats}, {paths[p].Name} on '{Size}', {TrainExamples} train x {TestExamples} test sequences of {SequenceTokens - 1} predicted tokens");
                    var run = paths[p].Run();
                    first[p] ??= run;
                    seconds[p].Add(run.Seconds);
                }
            }
            results = first.Select((run, p) => new PathResult(run, TrainExamples / BenchStatistics.Median(seconds[p]))).ToArray();
        }
        finally
        {
            projectors.ForEach(p => p.Dispose());
        }

        var exact = results[0];
        var exactScoring = ScoringRate(exact);
        var figures = new List<BenchFigure>
        {
            new("gradients: exact dimensions per example", exact.Dimensions, "count"),
            new("gradients: exact path examples/s", exact.ExamplesPerSecond, "examples/s"),
            new("gradients: scoring stored exact rows", exactScoring, "examples/s"),
        };
        var table = new List<string[]> { new[] { "path", "dims", "examples/s", "vs exact", "Spearman p50", "worst", "stored scoring/s", "vs exact" } };
        table.Add(["exact", $"{exact.Dimensions:N0}", $"{exact.ExamplesPerSecond:0.00}", "1.00x", "1", "1", $"{exactScoring:N0}", "1.0x"]);
        for (var i = 0; i < _dimensions.Length; i++)
        {
            var (k, projected) = (_dimensions[i], results[i + 1]);
            var spearman = Enumerable.Range(0, TestExamples)
                .Select(j => RankStatistics.Spearman(exact.Column(j), projected.Column(j))).ToList();
            var median = BenchStatistics.Median(spearman);
            var speedup = projected.ExamplesPerSecond / exact.ExamplesPerSecond;
            var scoring = ScoringRate(projected);
            figures.Add(new BenchFigure($"gradients: k={k} dimensions per example", projected.Dimensions, "count"));
            figures.Add(new BenchFigure($"gradients: k={k} projected path examples/s", projected.ExamplesPerSecond, "examples/s"));
            figures.Add(new BenchFigure($"gradients: k={k} projected / exact throughput", speedup, "x", ">= 10", speedup >= 10));
            figures.Add(new BenchFigure($"gradients: k={k} Spearman vs exact (median of tests)", median, "rho", ">= 0.9", median >= 0.9));
            figures.Add(new BenchFigure($"gradients: k={k} Spearman vs exact (worst test)", spearman.Min(), "rho"));
            figures.Add(new BenchFigure($"gradients: k={k} scoring stored rows", scoring, "examples/s"));
            figures.Add(new BenchFigure($"gradients: k={k} stored scoring / exact", scoring / exactScoring, "x"));
            table.Add([$"projected k={k}", $"{projected.Dimensions:N0}", $"{projected.ExamplesPerSecond:0.00}", $"{speedup:0.00}x",
                $"{median:0.000}", $"{spearman.Min():0.000}", $"{scoring:N0}", $"{scoring / exactScoring:0.0}x"]);
        }
        BenchTable.Print("projected vs exact per-example gradients (end-to-end examples/s; stored scoring/s: InfluenceShard over kept rows)", table);
        return figures;
    }

    // Trained LoRA factors are both non-zero; with B = 0 (a fresh adapter) every dA would be zero.
    private static void RandomiseB(LlamaModel model, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (_, projection) in model.Projections())
        {
            if (projection.Lora is { } lora)
            {
                using var draw = randn(lora.B.shape, generator: generator) * 0.02;
                lora.B.copy_(draw);
            }
        }
    }

    private static PathRun ExactRun(LlamaModel model, List<int[]> train, List<int[]> test) =>
        Run(model, train, test, batch =>
        {
            var exact = ExampleGradients.Compute(model, batch);
            return GradientProjector.Flatten(exact);
        });

    private static PathRun ProjectedRun(LlamaModel model, GradientProjector projector, List<int[]> train, List<int[]> test) =>
        Run(model, train, test, batch => projector.Project(model, batch));

    // Test rows first, then train batches scored against them as they come; keeping the train rows is not timed.
    private static PathRun Run(LlamaModel model, List<int[]> train, List<int[]> test, Func<TokenBatch, Tensor> rowsOf)
    {
        var device = model.BaseParameters()[0].Parameter.device;
        var watch = Stopwatch.StartNew();
        Tensor testRows;
        using (var scope = NewDisposeScope())
        {
            using var batch = TokenBatch.Create(test, SequenceTokens, device);
            testRows = rowsOf(batch).MoveToOuterDisposeScope();
        }
        var dimensions = (int)testRows.shape[1];
        var scores = new float[train.Count * test.Count];
        var kept = new float[train.Count * dimensions];
        for (var first = 0; first < train.Count; first += BatchSize)
        {
            using var scope = NewDisposeScope();
            using var batch = TokenBatch.Create(train.Skip(first).Take(BatchSize), SequenceTokens, device);
            var rows = rowsOf(batch);
            rows.mm(testRows.t()).data<float>().CopyTo(scores, first * test.Count);
            watch.Stop();
            rows.data<float>().CopyTo(kept, first * dimensions);
            watch.Start();
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var testKept = testRows.data<float>().ToArray();
        testRows.Dispose();
        return new PathRun(seconds, dimensions, scores, kept, testKept);
    }

    // Examples scored per second by the engine's scorer over rows already stored: the per-inference cost once the
    // training gradients are kept, where the row width is all that differs.
    private static double ScoringRate(PathResult result)
    {
        var examples = Enumerable.Range(0, TrainExamples).Select(i => new ExampleRef(i, $"c{i}", $"contributor-{i % 8}")).ToList();
        var shard = new InfluenceShard(examples, [new CheckpointGradients(1, result.Dimensions, result.Run.Rows)]);
        var query = result.Run.TestRows.AsSpan(0, result.Dimensions).ToArray();
        var times = Enumerable.Range(0, ScoringRepeats).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            shard.Score([query], 8);
            return watch.Elapsed.TotalSeconds;
        }).ToList();
        return TrainExamples / BenchStatistics.Median(times);
    }

    private sealed record PathRun(double Seconds, int Dimensions, float[] Scores, float[] Rows, float[] TestRows);

    private sealed record PathResult(PathRun Run, double ExamplesPerSecond)
    {
        public int Dimensions => Run.Dimensions;

        // Test example j's score with every train example.
        public double[] Column(int j) => Enumerable.Range(0, TrainExamples).Select(i => (double)Run.Scores[i * TestExamples + j]).ToArray();
    }
}
