using OpenLedger.Model.Lora;
using static TorchSharp.torch;

namespace OpenLedger.Model.Training;

/// <summary>A LoRA fine-tuning run: fresh adapters on a frozen base model, and the trainer that updates them.</summary>
public sealed class LoraFineTune : IDisposable
{
    private readonly Generator _dropoutGenerator;

    /// <summary>
    /// Attaches fresh adapters (initialised from the run's seed) to <paramref name="model"/> and prepares training on
    /// <paramref name="train"/>.
    /// </summary>
    public LoraFineTune(LlamaModel model, LoraSettings settings, TrainingHyperparameters hyper,
        IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation)
    {
        Model = model;
        Settings = settings;
        _dropoutGenerator = new Generator((ulong)hyper.Seed);
        var factors = LoraAttachment.AttachFresh(model, settings, hyper.Seed, _dropoutGenerator);
        Trainer = new LanguageModelTrainer(model, factors, train, validation, hyper, _dropoutGenerator);
    }

    /// <summary>The model being adapted.</summary>
    public LlamaModel Model { get; }

    /// <summary>The adapter shape.</summary>
    public LoraSettings Settings { get; }

    /// <summary>The trainer over the adapter factors.</summary>
    public LanguageModelTrainer Trainer { get; }

    /// <summary>The adapter as trained so far, in PEFT's layout.</summary>
    public PeftAdapter Adapter(string baseModel) => PeftAdapter.Capture(Model, Settings, baseModel);

    /// <inheritdoc />
    public void Dispose()
    {
        Trainer.Dispose();
        LoraAttachment.DetachAll(Model);
        _dropoutGenerator.Dispose();
    }
}
