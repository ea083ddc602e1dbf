using System.CommandLine;
using System.Globalization;
using OpenLedger.Cli.Keys;
using OpenLedger.Client;
using OpenLedger.Models;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>`openledger train --base B --datanet D[@N] --model M --key K [--watch]`, `train status JOB`, `train cancel JOB`.</summary>
public static class TrainCommands
{
    private static readonly Argument<string> _job = new("job") { Description = "The training job's id." };

    /// <summary>The `train` command.</summary>
    public static Command Build()
    {
        var baseModel = new Option<string>("--base") { Required = true, Description = "Base model name (see `model base list`)." };
        var datanets = new Option<string[]>("--datanet") { Required = true, Description = "DATANET or DATANET@SNAPSHOT (latest when omitted). Repeat for several." };
        var model = new Option<string>("--model") { Required = true, Description = "Id to publish the fine-tuned model under." };
        var key = new Option<string>("--key") { Required = true, Description = "The model owner's keystore key; it signs the request." };
        var job = new Option<string?>("--job") { Description = "Job id (default: MODEL-train-TIMESTAMP)." };
        var watch = new Option<bool>("--watch") { Description = "Follow the job with a live progress bar until it ends." };
        var defaults = new FineTuneSettings();
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => defaults.Epochs };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => defaults.LearningRate, Description = "Peak learning rate." };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => defaults.BatchSize };
        var sequence = new Option<int>("--seq") { DefaultValueFactory = _ => defaults.SequenceLength, Description = "Longest token sequence." };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => defaults.Seed };
        var rank = new Option<int>("--rank") { DefaultValueFactory = _ => defaults.LoraRank, Description = "LoRA rank r." };
        var alpha = new Option<double>("--alpha") { DefaultValueFactory = _ => defaults.LoraAlpha, Description = "LoRA alpha." };
        var dropout = new Option<double>("--dropout") { DefaultValueFactory = _ => defaults.LoraDropout, Description = "LoRA dropout." };
        var targets = new Option<string>("--targets") { DefaultValueFactory = _ => "q_proj,k_proj,v_proj,o_proj", Description = "Comma-separated target projections (add gate_proj,up_proj,down_proj for the MLP)." };
        var command = new Command("train", "Fine-tune a LoRA adapter on Datanet snapshots and publish it with provenance.")
        {
            baseModel, datanets, model, key, job, watch, epochs, lr, batch, sequence, seed, rank, alpha, dropout, targets,
        };
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Cancel());
        command.Handle(async (r, o) =>
        {
            var owner = new Keystore().Open(r.GetValue(key)!);
            await using var grid = await CommandRunner.ConnectAsync();
            var snapshots = new List<SnapshotRef>();
            foreach (var reference in r.GetValue(datanets)!)
            {
                var parts = reference.Split('@');
                snapshots.Add(parts.Length == 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var n)
                    ? new SnapshotRef(parts[0], n)
                    : new SnapshotRef(parts[0], (await grid.Datanets.GetAsync(parts[0])).Snapshots.LastOrDefault()?.Number
                        ?? throw new CliException($"Datanet '{parts[0]}' has no snapshot yet; take one with `openledger datanet snapshot {parts[0]} --key ...`.")));
            }
            var modelId = r.GetValue(model)!;
            var jobId = r.GetValue(job) ?? $"{modelId}-train-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}";
            var settings = new FineTuneSettings(r.GetValue(epochs), r.GetValue(lr), r.GetValue(batch), r.GetValue(sequence), r.GetValue(seed),
                r.GetValue(rank), r.GetValue(alpha), r.GetValue(dropout), r.GetValue(targets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            var status = await grid.Models.TrainAsync(owner, jobId, new TrainingJobSpec(modelId, owner.Address, r.GetValue(baseModel)!, snapshots, settings, ""));
            if (r.GetValue(watch))
            {
                status = await WatchAsync(grid, jobId, o);
            }
            o.Show(status, ShowStatus);
            return status.State == TrainingState.Failed ? 2 : 0;
        });
        return command;
    }

    /// <summary>Follows a job to its end with a progress bar showing loss and tokens/s; returns the final status.</summary>
    public static async Task<TrainingJobStatus> WatchAsync(GridClient grid, string jobId, Output o)
    {
        TrainingJobStatus last = await grid.Models.GetJobAsync(jobId);
        if (o.Json || Console.IsOutputRedirected)
        {
            await foreach (var status in grid.Models.WatchJobAsync(jobId, TimeSpan.FromMilliseconds(500)))
            {
                last = status;
            }
            return last;
        }
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"{jobId}: preparing", maxValue: Math.Max(1, last.TotalSteps));
                await foreach (var status in grid.Models.WatchJobAsync(jobId, TimeSpan.FromMilliseconds(250)))
                {
                    last = status;
                    task.MaxValue = Math.Max(1, status.TotalSteps);
                    task.Value = status.Step;
                    task.Description = status.State == TrainingState.Preparing
                        ? $"{jobId}: loading base model and data"
                        : string.Create(CultureInfo.InvariantCulture,
                            $"{jobId}: step {status.Step}/{status.TotalSteps}  epoch {status.Epoch + 1}  loss {status.Loss:F3}  {status.TokensPerSecond:F0} tok/s  checkpoint @{status.CheckpointStep}");
                }
                task.Value = task.MaxValue;
            });
        return last;
    }

    /// <summary>Prints a job's status and loss curve.</summary>
    public static void ShowStatus(TrainingJobStatus s)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]job[/]", s.JobId);
        var state = s.State switch
        {
            TrainingState.Completed => "[green]completed[/]",
            TrainingState.Failed => $"[red]failed[/]: {Markup.Escape(s.Error ?? "")}",
            _ => s.State.ToString().ToLowerInvariant(),
        };
        grid.AddRow("state", state);
        grid.AddRow("model", $"{s.Spec.ModelId} on {s.Spec.BaseModel}, owner {s.Spec.Owner}");
        grid.AddRow("progress", string.Create(CultureInfo.InvariantCulture,
            $"step {s.Step}/{s.TotalSteps}, last checkpoint at step {s.CheckpointStep}, resumed {s.Resumes} time(s), {s.TokensPerSecond:F0} tokens/s on {s.Device}"));
        grid.AddRow("examples", $"{s.TrainingExamples} training, {s.ValidationExamples} validation");
        if (s.BaseValidationLoss is { } b)
        {
            var before = string.Create(CultureInfo.InvariantCulture, $"base model loss {b:F3} (perplexity {Math.Exp(b):F1})");
            var after = s.ValidationLoss is { } v
                ? string.Create(CultureInfo.InvariantCulture, $" -> adapter loss {v:F3} (perplexity [green]{Math.Exp(v):F1}[/])")
                : "";
            grid.AddRow("validation", before + after);
        }
        if (s.LossCurve.Count > 1)
        {
            grid.AddRow("loss curve", LossSparkline(s.LossCurve));
        }
        AnsiConsole.Write(grid);
    }

    // The loss curve as one line of block characters, highest loss tallest: enough to see it fall.
    private static string LossSparkline(IReadOnlyList<LossPoint> curve)
    {
        const string Blocks = "▁▂▃▄▅▆▇█";
        var buckets = Math.Min(60, curve.Count);
        var values = Enumerable.Range(0, buckets)
            .Select(b => curve.Skip(b * curve.Count / buckets).Take(Math.Max(1, (b + 1) * curve.Count / buckets - b * curve.Count / buckets)).Average(p => p.Loss))
            .ToList();
        double min = values.Min(), max = values.Max();
        var line = new string(values.Select(v => Blocks[max > min ? (int)Math.Round((v - min) / (max - min) * (Blocks.Length - 1)) : 0]).ToArray());
        return string.Create(CultureInfo.InvariantCulture, $"{line}  {values[0]:F2} -> {values[^1]:F2}");
    }

    private static Command Status()
    {
        var watch = new Option<bool>("--watch") { Description = "Follow the job until it ends." };
        var command = new Command("status", "Show a training job's progress.") { _job, watch };
        command.Handle(async (r, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var jobId = r.GetValue(_job)!;
            var status = r.GetValue(watch) ? await WatchAsync(grid, jobId, o) : await grid.Models.GetJobAsync(jobId);
            o.Show(status, ShowStatus);
            return 0;
        });
        return command;
    }

    private static Command Cancel()
    {
        var command = new Command("cancel", "Stop a training job between steps; its last checkpoint is kept.") { _job };
        command.Handle(async (r, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            o.Show(await grid.Models.CancelJobAsync(r.GetValue(_job)!), ShowStatus);
            return 0;
        });
        return command;
    }
}
