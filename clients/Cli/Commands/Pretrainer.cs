using System.Globalization;
using System.Text.Json.Nodes;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Pretraining;
using OpenLedger.Model.Tokenization;
using OpenLedger.Model.Training;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>Pretrains a named-size base model in this process, showing a progress bar with the loss.</summary>
public static class Pretrainer
{
    /// <summary>Where base models are written by default: OPENLEDGER_HOME/models/NAME.</summary>
    public static string DefaultFolder(string name) => Path.Combine(
        Environment.GetEnvironmentVariable("OPENLEDGER_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".openledger"),
        "models", name);

    /// <summary>
    /// Builds and pretrains a model, writes it as a HF checkpoint folder with the GPT-2 tokenizer marker, and returns
    /// the folder and the held-out loss. A folder already holding this exact run (size, seed, steps) is reused.
    /// </summary>
    public static (string Folder, double ValidationLoss, bool Reused) Run(BasePretraining.Settings settings, string folder, Output output)
    {
        // Beside the folder, not in it: the folder holds only what a Hugging Face checkpoint holds.
        var stamp = folder.TrimEnd(Path.DirectorySeparatorChar) + ".pretraining.json";
        var identity = new JsonObject
        {
            ["corpus"] = "general-v3",
            ["size"] = settings.Size,
            ["seed"] = settings.Seed,
            ["steps"] = settings.Steps,
            ["batch"] = settings.BatchSize,
            ["sequence"] = settings.SequenceLength,
        };
        if (File.Exists(stamp) && File.Exists(Path.Combine(folder, HfCheckpoint.WeightsFile))
            && JsonNode.Parse(File.ReadAllText(stamp)) is JsonObject saved
            && JsonNode.DeepEquals(saved["run"], identity)
            && saved["validation_loss"] is JsonValue savedLoss && savedLoss.TryGetValue<double>(out var loss))
        {
            return (folder, loss, true);
        }

        var tokenizer = TextTokenizer.Gpt2();
        BasePretraining.Result result;
        if (output.Json || Console.IsOutputRedirected)
        {
            result = BasePretraining.Run(settings, tokenizer, CancellationToken.None,
                p => { if (!output.Json && p.Step % 25 == 0) { Console.WriteLine(Describe(p)); } });
        }
        else
        {
            result = null!;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    var task = progress.AddTask($"pretraining {settings.Size}", maxValue: settings.Steps);
                    result = BasePretraining.Run(settings, tokenizer, CancellationToken.None, p =>
                    {
                        task.Description = Describe(p);
                        task.Value = p.Step;
                    });
                });
        }
        using (result.Model)
        {
            Directory.CreateDirectory(folder);
            HfCheckpoint.Save(result.Model, folder);
            tokenizer.WriteTo(folder);
        }
        File.WriteAllText(stamp, new JsonObject { ["run"] = identity, ["validation_loss"] = result.ValidationLoss }.ToJsonString());
        return (folder, result.ValidationLoss, false);
    }

    private static string Describe(TrainingProgress p) =>
        string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps}  loss {p.Loss:F3}  {p.TokensPerSecond:F0} tok/s");
}
