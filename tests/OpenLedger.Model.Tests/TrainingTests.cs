using System.Text;
using System.Text.Json;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Tokenization;
using OpenLedger.Model.Training;

namespace OpenLedger.Model.Tests;

public sealed class TrainingTests
{
    private static readonly LoraSettings _lora = new(Rank: 4, Alpha: 8, Dropout: 0.1, TargetModules: LoraSettings.AllTargets);

    [Fact]
    public void Fine_tuning_on_a_domain_lowers_validation_loss_below_the_base_model()
    {
        using var model = TinyModels.Random(TinyModels.Config(), seed: 31);
        var (train, validation) = RecordExamples.Split(DomainExamples(count: 60), 0.2, seed: 1);
        var hyper = new TrainingHyperparameters(Epochs: 12, LearningRate: 0.05, BatchSize: 8, SequenceLength: 16, Seed: 9);
        var baseLoss = LanguageModelTrainer.MeanLoss(model, validation, hyper.SequenceLength, hyper.BatchSize);

        using var run = new LoraFineTune(model, _lora, hyper, train, validation);
        var losses = new List<double>();
        run.Trainer.Run(long.MaxValue, CancellationToken.None, p => losses.Add(p.Loss));
        var tunedLoss = run.Trainer.Evaluate();

        Assert.Equal(run.Trainer.TotalSteps, losses.Count);
        Assert.True(tunedLoss < baseLoss * 0.8, $"validation loss {tunedLoss:F3} should fall well below the base model's {baseLoss:F3}");
        Assert.True(losses.Skip(losses.Count - 5).Average() < losses.Take(5).Average(), "training loss should fall");
    }

    [Fact]
    public void A_resumed_run_ends_with_the_same_adapter_as_an_uninterrupted_one()
    {
        var (train, validation) = RecordExamples.Split(DomainExamples(count: 40), 0.2, seed: 2);
        var hyper = new TrainingHyperparameters(Epochs: 2, LearningRate: 0.01, BatchSize: 4, SequenceLength: 16, Seed: 77, WeightDecay: 0.01);

        byte[] uninterrupted;
        byte[] midway;
        using (var model = TinyModels.Random(TinyModels.Config(), seed: 32))
        using (var run = new LoraFineTune(model, _lora, hyper, train, validation))
        {
            run.Trainer.Run(5, CancellationToken.None);
            midway = run.Trainer.Checkpoint();
            run.Trainer.Run(long.MaxValue, CancellationToken.None);
            Assert.True(run.Trainer.Finished);
            uninterrupted = run.Adapter("tiny").Weights;
        }

        // A new process: the base model reloaded, fresh adapters, then the checkpoint restored.
        using (var model = TinyModels.Random(TinyModels.Config(), seed: 32))
        using (var run = new LoraFineTune(model, _lora, hyper, train, validation))
        {
            run.Trainer.Restore(midway);
            Assert.Equal(5, run.Trainer.Step);
            run.Trainer.Run(long.MaxValue, CancellationToken.None);
            Assert.Equal(uninterrupted, run.Adapter("tiny").Weights);
        }

        // A different seed is a different run: its checkpoint is refused.
        using (var model = TinyModels.Random(TinyModels.Config(), seed: 32))
        using (var other = new LoraFineTune(model, _lora, hyper with { Seed = 78 }, train, validation))
        {
            Assert.Throws<OpenLedger.Model.Checkpoints.CheckpointException>(() => other.Trainer.Restore(midway));
        }
    }

    [Fact]
    public void Cancellation_stops_between_steps_and_checkpoint_hooks_see_every_example_with_its_source()
    {
        using var model = TinyModels.Random(TinyModels.Config(), seed: 33);
        var examples = DomainExamples(count: 20);
        var hyper = new TrainingHyperparameters(Epochs: 5, LearningRate: 0.01, BatchSize: 4, SequenceLength: 16, Seed: 3);
        using var run = new LoraFineTune(model, _lora, hyper, examples, []);
        var hook = new RecordingHook();
        run.Trainer.Hooks.Add(hook);
        using var cancel = new CancellationTokenSource();
        run.Trainer.Run(long.MaxValue, cancel.Token, p =>
        {
            if (p.Step == 3)
            {
                cancel.Cancel();
            }
        });
        Assert.Equal(3, run.Trainer.Step);
        run.Trainer.Checkpoint();
        var seen = Assert.Single(hook.Contexts);
        Assert.Equal(3, seen.Step);
        Assert.Equal(examples.Select(e => e.Source), seen.Examples.Select(e => e.Source));
        Assert.Equal(2 * 7 * 2, seen.Trainable.Count);
    }

    [Fact]
    public void Datanet_records_become_field_lines_linked_to_their_contribution()
    {
        var payload = Encoding.UTF8.GetBytes("{\"title\":\"VPN exploit\",\"severity\":4,\"contained\":true}\n{\"title\":\"Phish\",\"severity\":2,\"contained\":false}\n");
        var tokenizer = TextTokenizer.Gpt2();
        var examples = RecordExamples.FromPayload(payload, tokenizer, "incidents", 1, "0xabc", "0xcontributor").ToList();
        Assert.Equal(2, examples.Count);
        Assert.Equal("title: VPN exploit\nseverity: 4\ncontained: true\n<|endoftext|>", tokenizer.Decode(examples[0].Tokens));
        Assert.Equal(new ExampleSource("incidents", 1, "0xabc", "0xcontributor", 1), examples[1].Source);

        var (train, validation) = RecordExamples.Split(DomainExamples(50), 0.1, seed: 4);
        var (train2, validation2) = RecordExamples.Split(DomainExamples(50).AsEnumerable().Reverse().ToList(), 0.1, seed: 4);
        Assert.Equal(5, validation.Count);
        Assert.Equal(validation.Select(v => v.Source).OrderBy(s => s.ContributionId), validation2.Select(v => v.Source).OrderBy(s => s.ContributionId));
        Assert.Empty(train.Select(t => t.Source).Intersect(validation.Select(v => v.Source)));
        Assert.Equal(45, train2.Count);
        _ = JsonSerializer.Serialize(examples[0].Source);
    }

    // A "domain" of arithmetic sequences: each example counts up by a fixed stride from a start token.
    private static List<TrainingExample> DomainExamples(int count)
    {
        var random = new Random(5);
        return Enumerable.Range(0, count).Select(i =>
        {
            var start = random.Next(48);
            const int stride = 1;
            var tokens = Enumerable.Range(0, 12).Select(k => (start + k * stride) % 48).ToArray();
            return new TrainingExample(tokens, new ExampleSource("domain", 1, $"0x{i:x4}", $"0xc{i % 3}", 0));
        }).ToList();
    }

    private sealed class RecordingHook : ICheckpointHook
    {
        public List<CheckpointContext> Contexts { get; } = [];

        public void OnCheckpoint(CheckpointContext context) => Contexts.Add(context);
    }
}
