using OpenLedger.Model;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Training;
using OpenLedger.Models;

namespace OpenLedger.Grains.Training;

/// <summary>
/// The engine side of one training job on this silo: the base model loaded from its folder, the examples split into
/// training and validation sets, and the LoRA fine-tuning run. Its methods block and belong on a worker thread.
/// </summary>
public sealed class TrainingRun : IDisposable
{
    private readonly LlamaModel _model;

    private TrainingRun(LlamaModel model, LoraFineTune fineTune, IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation)
    {
        _model = model;
        FineTune = fineTune;
        Train = train;
        Validation = validation;
    }

    /// <summary>The LoRA run.</summary>
    public LoraFineTune FineTune { get; }

    /// <summary>The trainer.</summary>
    public LanguageModelTrainer Trainer => FineTune.Trainer;

    /// <summary>Training examples.</summary>
    public IReadOnlyList<TrainingExample> Train { get; }

    /// <summary>Validation examples.</summary>
    public IReadOnlyList<TrainingExample> Validation { get; }

    /// <summary>The engine's settings for a job's settings.</summary>
    public static (LoraSettings Lora, TrainingHyperparameters Hyper) EngineSettings(FineTuneSettings s) => (
        new LoraSettings(s.LoraRank, s.LoraAlpha, s.LoraDropout, s.TargetModules is { Count: > 0 } t ? t : LoraSettings.AttentionTargets),
        new TrainingHyperparameters(s.Epochs, s.LearningRate, s.BatchSize, s.SequenceLength, s.Seed, CheckpointEvery: s.CheckpointEvery));

    /// <summary>Loads the base model and prepares the run. Throws <see cref="CheckpointException"/> for a bad base model.</summary>
    public static TrainingRun Create(string baseFolder, FineTuneSettings settings, IReadOnlyList<TrainingExample> examples)
    {
        var (lora, hyper) = EngineSettings(settings);
        var (train, validation) = RecordExamples.Split(examples, settings.ValidationFraction, settings.Seed);
        var model = HfCheckpoint.Load(baseFolder, TorchDevices.Preferred);
        try
        {
            return new TrainingRun(model, new LoraFineTune(model, lora, hyper, train, validation), train, validation);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        FineTune.Dispose();
        _model.Dispose();
    }
}
