using OpenLedger.Model.Tokenization;
using OpenLedger.Model.Training;

namespace OpenLedger.Model.Pretraining;

/// <summary>
/// Builds a base model of a named size and pretrains every weight on the generated general corpus. The same seed
/// gives the same model on the same hardware and thread count.
/// </summary>
public static class BasePretraining
{
    /// <summary>Pretraining run settings for <see cref="Run"/>.</summary>
    public sealed record Settings(string Size, long Seed, int Steps, int BatchSize = 16, int SequenceLength = 96, double LearningRate = 3e-3, int Documents = 6000);

    /// <summary>The pretrained model, its validation loss on held-out corpus documents, and the steps' losses.</summary>
    public sealed record Result(LlamaModel Model, double ValidationLoss, IReadOnlyList<TrainingProgress> History);

    /// <summary>Builds and pretrains a model, reporting each step to <paramref name="onStep"/>.</summary>
    public static Result Run(Settings settings, TextTokenizer tokenizer, CancellationToken cancellation, Action<TrainingProgress>? onStep = null)
    {
        if (settings.Steps < 1)
        {
            throw new ArgumentException($"pretraining steps {settings.Steps} must be at least one.");
        }
        var config = BaseModelSizes.Get(settings.Size);
        var documents = GeneralCorpus.Generate(unchecked((int)settings.Seed), settings.Documents, GeneralCorpus.WordsOf(tokenizer, config.VocabSize));
        var examples = documents
            .Select((text, i) => new TrainingExample(tokenizer.Encode(text).Append(tokenizer.EndOfText).ToArray(),
                new ExampleSource("general-corpus", 0, $"doc-{i}", "", 0)))
            .ToList();
        var (train, validation) = RecordExamples.Split(examples, 0.05, settings.Seed);
        var epochs = (int)Math.Ceiling((double)settings.Steps * settings.BatchSize / train.Count);

        var model = new LlamaModel(config);
        model.InitialiseWeights(settings.Seed);
        var hyper = new TrainingHyperparameters(Math.Max(1, epochs), settings.LearningRate, settings.BatchSize, settings.SequenceLength, settings.Seed, WeightDecay: 0.01, MaxSteps: settings.Steps);
        var history = new List<TrainingProgress>();
        using var trainer = new LanguageModelTrainer(model, model.BaseParameters(), train, validation, hyper);
        trainer.Run(settings.Steps, cancellation, p =>
        {
            history.Add(p);
            onStep?.Invoke(p);
        });
        return new Result(model, trainer.Evaluate(), history);
    }
}
