using System.CommandLine;
using System.Globalization;
using OpenLedger.Client.Export;
using OpenLedger.Economy.Earnings.Tables;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>`openledger export earnings --format arrow|parquet [--table accruals|accounts|epochs] [--out FILE]`.</summary>
public static class ExportCommands
{
    /// <summary>The `export` command group.</summary>
    public static Command Build()
    {
        var export = new Command("export", "Export the grid's tables to files for pyarrow, Polars, DuckDB or Spark.");
        export.Subcommands.Add(Earnings());
        return export;
    }

    private static Command Earnings()
    {
        var format = new Option<string>("--format")
        {
            Description = "arrow (an Arrow IPC file) or parquet.",
            DefaultValueFactory = _ => "arrow",
        };
        format.AcceptOnlyFromAmong("arrow", "parquet");
        var table = new Option<string>("--table")
        {
            Description = $"The table: {string.Join(", ", EarningsTables.Names)} (default accruals).",
            DefaultValueFactory = _ => EarningsTables.Accruals,
        };
        var output = new Option<FileInfo?>("--out") { Description = "The file to write (default $OPENLEDGER_HOME/exports/earnings-TABLE.arrow or .parquet; OPENLEDGER_HOME is .openledger)." };
        var flight = new Option<string?>("--flight") { Description = "The silo's Arrow Flight endpoint (default $OPENLEDGER_FLIGHT_URL, else http://127.0.0.1:8815)." };
        var command = new Command("earnings", "Export an earnings table, read over the silo's Arrow Flight endpoint, with amounts as exact decimal(38, 0) wei.")
        {
            format, table, output, flight,
        };
        command.Handle(async (r, o) =>
        {
            var chosen = Enum.Parse<EarningsFileFormat>(r.GetValue(format)!, ignoreCase: true);
            var name = r.GetValue(table)!;
            var path = r.GetValue(output)?.FullName
                ?? Path.Combine(Environment.GetEnvironmentVariable("OPENLEDGER_HOME") is { Length: > 0 } home ? home : ".openledger", "exports",
                    $"earnings-{name.ToLowerInvariant()}.{chosen.ToString().ToLowerInvariant()}");
            using var client = new EarningsFlightClient(FlightAddress(r.GetValue(flight)));
            var summary = await RunAsync(() => WithProgressAsync(client, name, chosen, path, o));
            o.Show(summary, s => AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote [bold]{s.Rows:N0}[/] rows of {s.Table} ({Size(s.Bytes)}, {s.Format.ToString().ToLowerInvariant()}) to [bold]{Markup.Escape(s.Path)}[/]")));
            return 0;
        });
        return command;
    }

    private static Uri FlightAddress(string? given) =>
        given is null ? EarningsFlightClient.DefaultAddress
        : Uri.TryCreate(given, UriKind.Absolute, out var address) && address.Scheme is "http" or "https" ? address
        : throw new CliException($"--flight must be an http:// address such as http://127.0.0.1:8815; got '{given}'.");

    private static async Task<EarningsExportSummary> WithProgressAsync(EarningsFlightClient client, string table, EarningsFileFormat format, string path, Output o)
    {
        if (o.Json || Console.IsOutputRedirected)
        {
            return await EarningsFileExport.WriteAsync(client, table, format, path);
        }
        EarningsExportSummary? summary = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"exporting earnings {table}", maxValue: 1);
                summary = await EarningsFileExport.WriteAsync(client, table, format, path,
                    new Progress<long>(rows =>
                    {
                        task.Value = rows;
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"exporting earnings {table}: {rows:N0} rows");
                    }),
                    info => task.MaxValue = Math.Max(1, info.Rows));
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    // The grid's typed refusals as CLI errors, with their codes for --json.
    private static async Task<T> RunAsync<T>(Func<Task<T>> export)
    {
        try
        {
            return await export();
        }
        catch (EarningsTableException e)
        {
            throw new CliException(e.Message, e.Code);
        }
        catch (EarningsExportException e)
        {
            throw new CliException(e.Message, e.Code);
        }
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):F1} MiB"),
        >= 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
