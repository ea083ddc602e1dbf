using System.CommandLine;
using System.Globalization;
using OpenLedger.Client;
using OpenLedger.Serving;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>`openledger adapter deploy | list | show | evict | pin | unpin | undeploy`: LoRA adapters served on base models.</summary>
public static class AdapterCommands
{
    private static readonly Argument<string> _adapterId = new("id") { Description = "The adapter's id (the name requests put in `model`)." };

    /// <summary>The `adapter` command group.</summary>
    public static Command Build()
    {
        var adapter = new Command("adapter", "LoRA adapters served on shared base models.");
        adapter.Subcommands.Add(Deploy());
        adapter.Subcommands.Add(List());
        adapter.Subcommands.Add(Single("show", "Show an adapter: its base, rank, where it lives now and what it has served.", (grid, id) => grid.Adapters.GetAsync(id)));
        adapter.Subcommands.Add(Single("evict", "Take an adapter off its device; it stays deployed and returns on its next request.", (grid, id) => grid.Adapters.EvictAsync(id)));
        adapter.Subcommands.Add(Single("pin", "Pin an adapter on its device so it is never evicted (loads it now).", (grid, id) => grid.Adapters.SetPinnedAsync(id, true)));
        adapter.Subcommands.Add(Single("unpin", "Let a pinned adapter be evicted again when its device needs room.", (grid, id) => grid.Adapters.SetPinnedAsync(id, false)));
        adapter.Subcommands.Add(Undeploy());
        return adapter;
    }

    /// <summary>Prints an adapter's summary.</summary>
    public static void ShowAdapter(AdapterInfo a)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]adapter[/]", Markup.Escape(a.AdapterId));
        grid.AddRow("base model", Markup.Escape(a.BaseModel));
        grid.AddRow("source", Markup.Escape(a.Source));
        grid.AddRow("rank", a.Rank.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("device bytes", a.DeviceBytes.ToString("N0", CultureInfo.InvariantCulture));
        grid.AddRow("residency", Residency(a));
        grid.AddRow("silo", Markup.Escape(a.Silo ?? "-"));
        grid.AddRow("served", $"{a.Requests.ToString("N0", CultureInfo.InvariantCulture)} requests, {a.CompletionTokens.ToString("N0", CultureInfo.InvariantCulture)} completion tokens");
        grid.AddRow("deployed", a.DeployedAt.ToString("u", CultureInfo.InvariantCulture));
        AnsiConsole.Write(grid);
    }

    /// <summary>A table of adapters, one row each.</summary>
    public static Table AdapterTable(IEnumerable<AdapterInfo> adapters)
    {
        var table = Output.Table("id", "base", "rank", "device bytes", "residency", "silo", "requests", "tokens");
        foreach (var a in adapters)
        {
            table.AddRow(Markup.Escape(a.AdapterId), Markup.Escape(a.BaseModel), a.Rank.ToString(CultureInfo.InvariantCulture),
                a.DeviceBytes.ToString("N0", CultureInfo.InvariantCulture), Residency(a), Markup.Escape(a.Silo ?? "-"),
                a.Requests.ToString("N0", CultureInfo.InvariantCulture), a.CompletionTokens.ToString("N0", CultureInfo.InvariantCulture));
        }
        return table;
    }

    private static string Residency(AdapterInfo a)
    {
        var place = a.Residency switch
        {
            AdapterResidency.Device => "[green]device[/]",
            AdapterResidency.Host => "[yellow]host[/]",
            _ => "[dim]storage[/]",
        };
        return a.Pinned ? place + " (pinned)" : place;
    }

    private static Command Deploy()
    {
        var baseModel = new Option<string>("--base") { Required = true, Description = "The base model it runs on (see `model base list`)." };
        var model = new Option<string?>("--model") { Description = "A published model id whose adapter to deploy (see `model list`)." };
        var folder = new Option<DirectoryInfo?>("--folder") { Description = "A PEFT adapter folder: adapter_config.json and adapter_model.safetensors." };
        var pin = new Option<bool>("--pin") { Description = "Pin it on its device so it is never evicted." };
        var command = new Command("deploy", "Deploy an adapter from a published model or a PEFT folder, and load it.") { _adapterId, baseModel, model, folder, pin };
        command.Handle(async (r, o) =>
        {
            var id = r.GetValue(_adapterId)!;
            var modelId = r.GetValue(model);
            var dir = r.GetValue(folder);
            if ((modelId is null) == (dir is null))
            {
                throw new CliException("Give exactly one of --model MODEL_ID (a published model) or --folder DIR (PEFT files).");
            }
            await using var grid = await CommandRunner.ConnectAsync();
            AdapterInfo info;
            if (modelId is not null)
            {
                info = await grid.Adapters.DeployModelAsync(id, r.GetValue(baseModel)!, modelId, r.GetValue(pin));
            }
            else
            {
                try
                {
                    info = await grid.Adapters.DeployFolderAsync(id, r.GetValue(baseModel)!, dir!.FullName, r.GetValue(pin));
                }
                catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    throw new CliException(e.Message);
                }
            }
            o.Show(info, ShowAdapter);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List deployed adapters with where they live now and what they have served.");
        command.Handle(async (_, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            o.Show(await grid.Adapters.ListAsync(), list => AnsiConsole.Write(AdapterTable(list)));
            return 0;
        });
        return command;
    }

    private static Command Single(string name, string description, Func<GridClient, string, Task<AdapterInfo>> call)
    {
        var command = new Command(name, description) { _adapterId };
        command.Handle(async (r, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            o.Show(await call(grid, r.GetValue(_adapterId)!), ShowAdapter);
            return 0;
        });
        return command;
    }

    private static Command Undeploy()
    {
        var command = new Command("undeploy", "Remove an adapter's deployment; later requests for it are refused.") { _adapterId };
        command.Handle(async (r, o) =>
        {
            var id = r.GetValue(_adapterId)!;
            await using var grid = await CommandRunner.ConnectAsync();
            await grid.Adapters.UndeployAsync(id);
            o.Show(new { adapter = id, undeployed = true }, v => AnsiConsole.MarkupLine($"Undeployed {Markup.Escape(v.adapter)}."));
            return 0;
        });
        return command;
    }
}
