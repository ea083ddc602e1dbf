using System.CommandLine;
using System.Globalization;
using System.Numerics;
using OpenLedger.Cli.Keys;
using OpenLedger.Client;
using OpenLedger.Model.Pretraining;
using OpenLedger.Models;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>`openledger model base create | import | list` and `openledger model list | show | price`.</summary>
public static class ModelCommands
{
    private static readonly Argument<string> _modelId = new("model") { Description = "The model's id." };

    /// <summary>The `model` command group.</summary>
    public static Command Build()
    {
        var baseGroup = new Command("base", "Base models: build and pretrain one, import a Hugging Face checkpoint, list them.");
        baseGroup.Subcommands.Add(CreateBase());
        baseGroup.Subcommands.Add(ImportBase());
        baseGroup.Subcommands.Add(ListBase());
        var model = new Command("model", "Base models and fine-tuned models with their provenance.");
        model.Subcommands.Add(baseGroup);
        model.Subcommands.Add(List());
        model.Subcommands.Add(Show());
        model.Subcommands.Add(Price());
        model.Subcommands.Add(GenerateCommand.Build());
        return model;
    }

    /// <summary>Uploads a checkpoint folder with a progress bar (or quietly for scripts).</summary>
    public static async Task<BaseModelInfo> ImportAsync(GridClient grid, string name, string folder, string importedBy, string description, Output o)
    {
        if (o.Json || Console.IsOutputRedirected)
        {
            return await grid.Models.ImportBaseAsync(name, folder, importedBy, description);
        }
        BaseModelInfo info = null!;
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"uploading {name}", maxValue: 1);
                info = await grid.Models.ImportBaseAsync(name, folder, importedBy, description,
                    new Progress<(long Sent, long Total)>(p => { task.MaxValue = p.Total; task.Value = p.Sent; }));
            });
        return info;
    }

    /// <summary>Prints a base model's summary.</summary>
    public static void ShowBase(BaseModelInfo b)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]base model[/]", b.Name);
        grid.AddRow("hash", b.Hash);
        grid.AddRow("parameters", b.Parameters.ToString("N0", CultureInfo.InvariantCulture));
        grid.AddRow("tokenizer", b.Tokenizer);
        grid.AddRow("files", string.Join(", ", b.Files.Select(f => $"{f.Name} ({f.Bytes:N0} B)")));
        grid.AddRow("imported", $"{b.ImportedAt:u} by {b.ImportedBy}");
        AnsiConsole.Write(grid);
    }

    /// <summary>Prints a model's provenance, metrics and price.</summary>
    public static void ShowModel(ModelInfo m)
    {
        var p = m.Publication;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]model[/]", m.ModelId);
        grid.AddRow("owner", p.Owner);
        grid.AddRow("base model", $"{p.BaseModel} ({p.BaseModelHash})");
        foreach (var s in p.Snapshots)
        {
            grid.AddRow("trained on", $"{s.DatanetId} snapshot {s.Snapshot}: {s.Contributions} contributions, root {s.Root}");
        }
        var h = p.Settings;
        grid.AddRow("hyperparameters", string.Create(CultureInfo.InvariantCulture,
            $"epochs {h.Epochs}, lr {h.LearningRate}, batch {h.BatchSize}, sequence {h.SequenceLength}, seed {h.Seed}, LoRA r {h.LoraRank} alpha {h.LoraAlpha} dropout {h.LoraDropout} on {string.Join(",", h.TargetModules ?? ["q_proj", "k_proj", "v_proj", "o_proj"])}"));
        grid.AddRow("adapter", $"{p.AdapterHash} at {p.AdapterUri}");
        grid.AddRow("examples", $"{p.Metrics.TrainingExamples} training, {p.Metrics.ValidationExamples} validation; provenance at {p.ExamplesUri}");
        grid.AddRow("validation", string.Create(CultureInfo.InvariantCulture,
            $"loss {p.Metrics.ValidationLoss:F3}, perplexity [green]{p.Metrics.ValidationPerplexity:F1}[/] (base model: loss {p.Metrics.BaseValidationLoss:F3}, perplexity {p.Metrics.BaseValidationPerplexity:F1})"));
        grid.AddRow("train loss", p.Metrics.TrainLoss.ToString("F3", CultureInfo.InvariantCulture));
        grid.AddRow("price", $"{m.PricePerThousandTokensWei} wei OPEN per 1,000 tokens");
        grid.AddRow("published", $"{m.PublishedAt:u} by job {p.JobId}");
        AnsiConsole.Write(grid);
    }

    private static Command CreateBase()
    {
        var name = new Option<string>("--name") { Description = "Name for the base model (default: openledger-SIZE).", };
        var size = new Option<string>("--size") { DefaultValueFactory = _ => "small", Description = $"One of {string.Join(", ", BaseModelSizes.Names)}." };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 42, Description = "Seed for weights, corpus and order." };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 400, Description = "Pretraining steps." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where to write the checkpoint folder (default: OPENLEDGER_HOME/models/NAME)." };
        var localOnly = new Option<bool>("--local-only") { Description = "Write the checkpoint but do not import it into the grid." };
        var key = new Option<string?>("--key") { Description = "Keystore key recorded as the importer." };
        var command = new Command("create", "Build a base model of a named size and pretrain it on the generated general corpus, then import it.")
        {
            name, size, seed, steps, output, localOnly, key,
        };
        command.Handle(async (r, o) =>
        {
            var sizeName = r.GetValue(size)!;
            if (!BaseModelSizes.Names.Contains(sizeName))
            {
                throw new CliException($"Unknown size '{sizeName}'; choose one of {string.Join(", ", BaseModelSizes.Names)}.");
            }
            var modelName = r.GetValue(name) ?? $"openledger-{sizeName}";
            var folder = r.GetValue(output)?.FullName ?? Pretrainer.DefaultFolder(modelName);
            var (written, loss, reused) = Pretrainer.Run(new BasePretraining.Settings(sizeName, r.GetValue(seed), r.GetValue(steps)), folder, o);
            BaseModelInfo? info = null;
            if (!r.GetValue(localOnly))
            {
                var importer = r.GetValue(key) is { } k ? new Keystore().AddressOf(k) : "0x0000000000000000000000000000000000000000";
                await using var grid = await CommandRunner.ConnectAsync();
                info = await ImportAsync(grid, modelName, written, importer, $"{sizeName} base model pretrained on the generated general corpus (seed {r.GetValue(seed)})", o);
            }
            o.Show(new { folder = written, validationLoss = loss, reused, baseModel = info }, v =>
            {
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(v.reused ? "Reused" : "Wrote")} {Markup.Escape(v.folder)}: held-out loss {v.validationLoss:F3} (perplexity {Math.Exp(v.validationLoss):F1})"));
                if (v.baseModel is not null)
                {
                    ShowBase(v.baseModel);
                }
            });
            return 0;
        });
        return command;
    }

    private static Command ImportBase()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "A Hugging Face checkpoint folder: config.json, *.safetensors, tokenizer files." };
        var name = new Option<string>("--name") { Required = true, Description = "Name for the base model." };
        var description = new Option<string>("--description") { DefaultValueFactory = _ => "", Description = "What the model is." };
        var key = new Option<string?>("--key") { Description = "Keystore key recorded as the importer." };
        var command = new Command("import", "Upload a Hugging Face checkpoint folder; the grid validates it before it becomes visible.") { folder, name, description, key };
        command.Handle(async (r, o) =>
        {
            var dir = r.GetValue(folder)!;
            if (!dir.Exists)
            {
                throw new CliException($"No such folder: {dir.FullName}");
            }
            var importer = r.GetValue(key) is { } k ? new Keystore().AddressOf(k) : "0x0000000000000000000000000000000000000000";
            await using var grid = await CommandRunner.ConnectAsync();
            o.Show(await ImportAsync(grid, r.GetValue(name)!, dir.FullName, importer, r.GetValue(description)!, o), ShowBase);
            return 0;
        });
        return command;
    }

    private static Command ListBase()
    {
        var command = new Command("list", "List base models.");
        command.Handle(async (_, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            o.Show(await grid.Models.ListBaseAsync(), list =>
            {
                var table = Output.Table("name", "parameters", "tokenizer", "hash", "imported");
                foreach (var b in list)
                {
                    table.AddRow(b.Name, b.Parameters.ToString("N0", CultureInfo.InvariantCulture), b.Tokenizer, Output.Short(b.Hash), b.ImportedAt.ToString("u"));
                }
                AnsiConsole.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List published models.");
        command.Handle(async (_, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            o.Show(await grid.Models.ListAsync(), list =>
            {
                var table = Output.Table("model", "base", "owner", "validation ppl", "base ppl", "price (wei / 1k tokens)");
                foreach (var m in list)
                {
                    var x = m.Publication.Metrics;
                    table.AddRow(m.ModelId, m.Publication.BaseModel, m.Publication.Owner, x.ValidationPerplexity.ToString("F1", CultureInfo.InvariantCulture),
                        x.BaseValidationPerplexity.ToString("F1", CultureInfo.InvariantCulture), m.PricePerThousandTokensWei);
                }
                AnsiConsole.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var command = new Command("show", "Show a model's provenance: owner, base model hash, snapshot roots, hyperparameters, adapter hash, metrics and price.") { _modelId };
        command.Handle(async (r, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            o.Show(await grid.Models.GetAsync(r.GetValue(_modelId)!), ShowModel);
            return 0;
        });
        return command;
    }

    private static Command Price()
    {
        var wei = new Option<string>("--wei") { Required = true, Description = "Price per 1,000 tokens in wei of OPEN (a whole number)." };
        var key = new Option<string>("--key") { Required = true, Description = "The owner's keystore key." };
        var command = new Command("price", "Set a model's price per 1,000 tokens (owner only, signed).") { _modelId, wei, key };
        command.Handle(async (r, o) =>
        {
            if (!BigInteger.TryParse(r.GetValue(wei), NumberStyles.None, CultureInfo.InvariantCulture, out var price))
            {
                throw new CliException($"--wei '{r.GetValue(wei)}' is not a whole number of wei.");
            }
            var owner = new Keystore().Open(r.GetValue(key)!);
            await using var grid = await CommandRunner.ConnectAsync();
            o.Show(await grid.Models.SetPriceAsync(owner, r.GetValue(_modelId)!, price), ShowModel);
            return 0;
        });
        return command;
    }
}
