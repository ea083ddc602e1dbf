using OpenLedger.Attribution.Influence;
using OpenLedger.Attribution.Shares;
using OpenLedger.Attribution.Spans;
using OpenLedger.Model.Influence;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Training;
using Xunit.Abstractions;

namespace OpenLedger.Model.Tests;

/// <summary>
/// Planted sources: ten contributors each teach five facts nobody else does (subject tokens → object tokens). After
/// LoRA fine-tuning, an answer stating a contributor's fact must be attributed mostly to that contributor, by the
/// same pipeline the grid runs (projected gradients at kept checkpoints, DataInf, TracIn sums, spans, shares), and an
/// answer about nothing in the data to nobody.
/// </summary>
public sealed class PlantedSourceTests(ITestOutputHelper output)
{
    private const int Contributors = 10;
    private const int FactsEach = 5;
    private const int Bos = 0;
    private const int Eos = 1;
    private const int Relation = 2;
    private const int FirstSubject = 4;
    private const int FirstObject = FirstSubject + 2 * Contributors * FactsEach;
    private const int FirstFiller = FirstObject + 3 * Contributors * FactsEach;
    private const int Fillers = 8;
    private const int FirstUnseen = FirstFiller + Fillers;
    private const int Vocabulary = FirstUnseen + 40;
    private const int Dimensions = 16;
    private const int PromptLength = 5;
    private const double MinRelevance = 0.1;

    [Fact]
    public void Answers_stating_a_contributors_facts_are_attributed_to_that_contributor_and_generic_answers_to_nobody()
    {
        var config = TinyModels.Config(vocab: Vocabulary) with { HiddenSize = 48, IntermediateSize = 96, HeadDim = 12 };
        using var model = TinyModels.Random(config, seed: 5);
        var random = new Random(11);
        var examples = new List<TrainingExample>();
        for (var c = 0; c < Contributors; c++)
        {
            for (var f = 0; f < FactsEach; f++)
            {
                for (var copy = 0; copy < 3; copy++)
                {
                    var tokens = new List<int> { Bos, FirstFiller + random.Next(Fillers) };
                    tokens.AddRange(Fact(c * FactsEach + f));
                    examples.Add(new TrainingExample(tokens, new ExampleSource("planted", 1, $"contribution-{c}-{f}", Contributor(c), copy)));
                }
            }
        }
        var recorder = new Recorder(Dimensions);
        var hyper = new TrainingHyperparameters(Epochs: 40, LearningRate: 0.02, BatchSize: 16, SequenceLength: 16, Seed: 3, CheckpointEvery: 80);
        using var run = new LoraFineTune(model, new LoraSettings(8, 16, 0, LoraSettings.AllTargets), hyper, examples, examples.Take(4).ToList());
        run.Trainer.Hooks.Add(recorder);
        while (!run.Trainer.Finished)
        {
            run.Trainer.Run(hyper.CheckpointEvery, CancellationToken.None);
            run.Trainer.Checkpoint();
        }
        output.WriteLine($"final training loss {run.Trainer.Evaluate(examples):F3}; {recorder.Checkpoints.Count} checkpoints kept");

        var references = examples.Select((e, i) => new ExampleRef(i, e.Source.ContributionId, e.Source.Contributor)).ToList();
        var shard = new InfluenceShard(references, recorder.Checkpoints.Select(c => c.Gradients).ToList());
        var spans = SuffixArray.Build(TokenCorpus.From(examples.Select(e => e.Tokens)));
        var ids = Enumerable.Range(0, examples.Count).Select(i => (long)i).ToArray();
        // The same examples in three shards of interleaved ids, as the grid would hold them on three silos.
        var split = Enumerable.Range(0, 3).Select(s => Enumerable.Range(0, examples.Count).Where(i => i % 3 == s).ToArray()).ToList();
        var shards = split.Select(members => new InfluenceShard(members.Select(i => references[i]).ToList(),
            recorder.Checkpoints.Select(c => Subset(c.Gradients, members)).ToList())).ToList();

        int gradientHits = 0, shareHits = 0, prompts = 0;
        for (var fact = 0; fact < Contributors * FactsEach; fact++)
        {
            var answer = new List<int> { Bos, FirstFiller }.Concat(Fact(fact)).ToList();
            var (queries, gate) = Query(model, recorder, answer, PromptLength);
            var plain = shard.Score(queries, topK: 5);
            var shares = Shares(shard.Score(queries, topK: 5, gate: gate), spans, ids, references, answer);
            var sharded = ShardResult.Merge(shards.Select(s => s.Score(queries, topK: 5, gate: gate)), 5);
            Assert.Equal(shares, Shares(sharded, spans, ids, references, answer));
            var expected = Contributor(fact / FactsEach);
            prompts++;
            gradientHits += plain.ContributorSums.MaxBy(p => p.Value).Key == expected ? 1 : 0;
            shareHits += shares.Count > 0 && shares.MaxBy(s => s.PartsPerBillion)!.Contributor == expected ? 1 : 0;
        }
        output.WriteLine($"precision@1 over {prompts} prompts: gradient influence alone {gradientHits / (double)prompts:F2}, shares {shareHits / (double)prompts:F2}");
        Assert.True(prompts >= 50);
        Assert.True(gradientHits >= 0.9 * prompts, $"gradient influence put the right contributor first for {gradientHits} of {prompts} prompts");
        Assert.True(shareHits >= 0.9 * prompts, $"shares put the right contributor first for {shareHits} of {prompts} prompts");

        var nobody = 0;
        for (var g = 0; g < 10; g++)
        {
            var answer = new List<int> { Bos, FirstFiller, FirstUnseen + g, FirstUnseen + 10 + g, Relation, FirstUnseen + 20 + g, FirstUnseen + 30 + g, Eos };
            var (queries, gate) = Query(model, recorder, answer, PromptLength);
            var shares = Shares(shard.Score(queries, topK: 5, gate: gate), spans, ids, references, answer);
            output.WriteLine($"generic answer {g}: {(shares.Count == 0 ? "nobody" : string.Join(", ", shares.Select(s => $"{s.Contributor} {s.PartsPerBillion / 1e7:F1}%")))}");
            nobody += shares.Count == 0 ? 1 : 0;
        }
        Assert.Equal(10, nobody);
    }

    private static CheckpointGradients Subset(CheckpointGradients all, int[] members)
    {
        var rows = new float[members.Length * all.Dimensions];
        for (var i = 0; i < members.Length; i++)
        {
            all.Rows.AsSpan(members[i] * all.Dimensions, all.Dimensions).CopyTo(rows.AsSpan(i * all.Dimensions));
        }
        return new CheckpointGradients(all.LearningRate, all.Dimensions, rows, members.Select(i => all.SelfInfluence![i]).ToArray());
    }

    // The inference's preconditioned gradient at each kept checkpoint and its relevance gate, as the grid computes them.
    private static (IReadOnlyList<float[]> Queries, RelevanceGate Gate) Query(LlamaModel model, Recorder recorder, IReadOnlyList<int> answer, int promptLength)
    {
        var query = new InferenceQuery();
        using var projector = new GradientProjector(model, Dimensions, Recorder.Seed);
        foreach (var checkpoint in recorder.Checkpoints)
        {
            checkpoint.Adapter.ApplyTo(model);
            query.Add(ProjectedGradients.OfCompletion(projector, model, answer, promptLength, 16), checkpoint.Inverse, checkpoint.Gradients.LearningRate);
        }
        return (query.Vectors, query.Gate(MinRelevance));
    }

    private static IReadOnlyList<ContributorShare> Shares(ShardResult influence, SuffixArray spans, long[] ids, IReadOnlyList<ExampleRef> references, IReadOnlyList<int> answer)
    {
        var output = answer.Skip(PromptLength).ToList();
        var found = SpanFinder.Merge([SpanFinder.FindLocal(output, spans, ids, minLength: 3, maxSources: 4)], 4);
        var evidence = AttributionShares.SpanEvidence(found, s => references[(int)s.ExampleId].Contributor);
        return AttributionShares.Compute(influence.ContributorSums, evidence, SharePolicy.Default);
    }

    private static IReadOnlyList<int> Fact(int fact) =>
        [FirstSubject + 2 * fact, FirstSubject + 2 * fact + 1, Relation, FirstObject + 3 * fact, FirstObject + 3 * fact + 1, FirstObject + 3 * fact + 2, Eos];

    private static string Contributor(int c) => $"0x{c + 1:x40}";

    private sealed record Kept(CheckpointGradients Gradients, DataInf Inverse, PeftAdapter Adapter);

    // Keeps each checkpoint's projected gradients, DataInf inverse and adapter, as the grid's index hook does.
    private sealed class Recorder(int dimensions) : ICheckpointHook
    {
        public const long Seed = 1729;

        public List<Kept> Checkpoints { get; } = [];

        public void OnCheckpoint(CheckpointContext context)
        {
            using var projector = new GradientProjector(context.Model, dimensions, Seed);
            var rows = ProjectedGradients.OfExamples(projector, context.Model, context.Examples.Select(e => e.Tokens).ToList(), context.SequenceLength, 16);
            var blocks = LayerBlock.Contiguous(ProjectedGradients.Layout(context.Model, dimensions));
            var width = blocks.Sum(b => b.Length);
            var lora = new LoraSettings(8, 16, 0, LoraSettings.AllTargets);
            var inverse = DataInf.Fit(blocks, rows, context.Examples.Count);
            Checkpoints.Add(new Kept(new CheckpointGradients(context.LearningRate, width, rows, inverse.SelfInfluence(rows, context.Examples.Count)), inverse,
                PeftAdapter.Capture(context.Model, lora, "tiny")));
        }
    }
}
