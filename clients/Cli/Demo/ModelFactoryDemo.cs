using System.Globalization;
using System.Numerics;
using OpenLedger.Cli.Commands;
using OpenLedger.Client;
using OpenLedger.Errors;
using OpenLedger.Model.Pretraining;
using OpenLedger.Models;
using Spectre.Console;

namespace OpenLedger.Cli.Demo;

/// <summary>
/// The demo's ModelFactory part: a small base model (pretrained here on the generated general corpus, or reused),
/// a LoRA fine-tune on the incident snapshot with live progress, and the published model's provenance and price.
/// </summary>
public static class ModelFactoryDemo
{
    private const string BaseName = "openledger-small";
    private static readonly BasePretraining.Settings _pretraining = new("small", Seed: 42, Steps: 250);

    /// <summary>Runs the steps after the Datanet part, numbering them from <paramref name="firstStep"/>.</summary>
    public static async Task<object> RunAsync(GridClient grid, string datanetId, int snapshot, int firstStep, Output o)
    {
        var narration = new DemoNarration(o, firstStep);

        narration.Step("A base model");
        BaseModelInfo baseModel;
        try
        {
            baseModel = await grid.Models.GetBaseAsync(BaseName);
            narration.Say($"Using base model {BaseName} already in the grid.");
        }
        catch (UnknownBaseModelException)
        {
            var folder = Path.Combine(".openledger", "models", BaseName);
            narration.Say($"No model hub is reachable, so the grid makes its own: a {_pretraining.Size} Llama-family model pretrained for {_pretraining.Steps} steps on a generated general-English corpus.");
            var (written, loss, reused) = Pretrainer.Run(_pretraining, folder, o);
            narration.Say(string.Create(CultureInfo.InvariantCulture,
                $"{(reused ? "Reused the checkpoint in" : "Wrote")} {Markup.Escape(written)}: held-out general-corpus loss {loss:F3} (perplexity {Math.Exp(loss):F1})"));
            baseModel = await ModelCommands.ImportAsync(grid, BaseName, written, "0x0000000000000000000000000000000000000000",
                "small base model pretrained on the generated general corpus", o);
        }
        if (!o.Json)
        {
            ModelCommands.ShowBase(baseModel);
        }

        narration.Step("Fine-tune a LoRA adapter on the snapshot");
        var developer = ContributorKey.Generate();
        var modelId = $"incident-analyst-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}";
        var jobId = modelId + "-train";
        var settings = new FineTuneSettings(Epochs: 3, LearningRate: 4e-3, BatchSize: 8, SequenceLength: 160, Seed: 7,
            LoraRank: 8, LoraAlpha: 16, LoraDropout: 0.05, TargetModules: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
            CheckpointEvery: 10);
        await grid.Models.TrainAsync(developer, jobId, new TrainingJobSpec(modelId, developer.Address, BaseName, [new SnapshotRef(datanetId, snapshot)], settings, ""));
        narration.Say($"Job {jobId} signed by the model developer {developer.Address}; it checkpoints to Blob storage every {settings.CheckpointEvery} steps.");
        var status = await TrainCommands.WatchAsync(grid, jobId, o);
        if (!o.Json)
        {
            TrainCommands.ShowStatus(status);
        }
        if (status.State != TrainingState.Completed)
        {
            throw new CliException($"Training ended {status.State}: {status.Error}");
        }

        narration.Step("The published model and its provenance");
        var model = await grid.Models.SetPriceAsync(developer, modelId, BigInteger.Parse("2000000000000000", CultureInfo.InvariantCulture));
        if (!o.Json)
        {
            ModelCommands.ShowModel(model);
        }
        var metrics = model.Publication.Metrics;
        var first = status.LossCurve.Take(10).Average(p => p.Loss);
        var last = status.LossCurve.TakeLast(10).Average(p => p.Loss);
        narration.Say(string.Create(CultureInfo.InvariantCulture,
            $"Training loss fell from {first:F2} to {last:F2}; on held-out incident reports the adapter's perplexity is [green]{metrics.ValidationPerplexity:F1}[/] against the base model's {metrics.BaseValidationPerplexity:F1}."));
        if (!(metrics.ValidationPerplexity < metrics.BaseValidationPerplexity) || !(last < first))
        {
            throw new CliException("Fine-tuning did not improve on the base model; see above.");
        }
        return new { baseModel = baseModel.Name, baseModelHash = baseModel.Hash, model, lossFirst = first, lossLast = last };
    }
}
