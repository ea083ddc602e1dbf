using System.Globalization;
using System.Numerics;
using Apache.Arrow.Types;
using OpenLedger.Client;
using OpenLedger.Client.Export;
using OpenLedger.Economy.Earnings.Tables;
using Spectre.Console;

namespace OpenLedger.Cli.Demo;

/// <summary>
/// The demo's analyst step: the earnings tables listed over the silo's Arrow Flight endpoint, the accruals exported
/// as an Arrow IPC file and a Parquet file, and both opened by an independent reader whose exact wei sum must equal
/// the fees the earnings grain counted.
/// </summary>
internal static class EarningsDemo
{
    /// <summary>Runs the step; returns the figures for --json.</summary>
    public static async Task<object> RunAsync(GridClient grid, DirectoryInfo exports, int firstStep, Output o)
    {
        var narration = new DemoNarration(o, firstStep);
        narration.Step("Analysts read the earnings over Arrow Flight");
        using var flight = new EarningsFlightClient(EarningsFlightClient.DefaultAddress);
        var tables = await flight.ListAsync();
        if (!o.Json)
        {
            var table = Output.Table("table", "rows", "columns");
            foreach (var t in tables)
            {
                table.AddRow(t.Table, t.Rows.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(string.Join(", ", t.Schema.FieldsList.Select(f => $"{f.Name} {TypeName(f.DataType)}"))));
            }
            AnsiConsole.Write(table);
        }
        exports.Create();
        var files = new List<EarningsExportSummary>();
        foreach (var format in new[] { EarningsFileFormat.Arrow, EarningsFileFormat.Parquet })
        {
            var path = Path.Combine(exports.FullName, $"earnings-accruals.{format.ToString().ToLowerInvariant()}");
            files.Add(await EarningsFileExport.WriteAsync(flight, EarningsTables.Accruals, format, path));
        }
        var epochs = await grid.Earnings.EpochsAsync();
        var fees = epochs.Aggregate(BigInteger.Zero, (sum, e) => sum + BigInteger.Parse(e.FeesWei, CultureInfo.InvariantCulture));
        narration.Say($"Exported the accruals table ({files[0].Rows:N0} rows, wei as decimal128(38, 0)): {Markup.Escape(files[0].Path)} and {Markup.Escape(files[1].Path)}.");

        var script = EarningsFileCheck.Script;
        if (script is null)
        {
            throw new CliException("The independent reader deploy/scripts/read-earnings.mjs or its Node packages are missing; `./openledger demo` installs them (npm ci in deploy/).", "reader_missing");
        }
        var reads = new List<object>();
        foreach (var file in files)
        {
            var report = await EarningsFileCheck.ReadAsync(script, file.Path);
            var sum = BigInteger.Parse(report.GetProperty("sums").GetProperty("wei").GetString()!, CultureInfo.InvariantCulture);
            var rows = report.GetProperty("rows").GetInt64();
            narration.Say($"read-earnings.mjs ({report.GetProperty("format").GetString()}): {rows:N0} rows, sum(wei) = {sum} wei; "
                + (sum == fees ? "[green]equal to every fee the earnings grain counted[/]" : $"[red]the grain counted {fees} wei[/]"));
            if (sum != fees || rows != file.Rows)
            {
                throw new CliException($"{file.Path} read back {rows} rows and {sum} wei; the export wrote {file.Rows} rows and the grain counted {fees} wei.", "export_mismatch");
            }
            reads.Add(new { file = file.Path, format = report.GetProperty("format").GetString(), rows, weiSum = sum.ToString(CultureInfo.InvariantCulture) });
        }
        return new { tables = tables.Select(t => new { t.Table, t.Rows }), files, feesWei = fees.ToString(CultureInfo.InvariantCulture), independentReads = reads };
    }

    // Amounts show their exact type, so the table says at a glance that no float carries wei.
    private static string TypeName(IArrowType type) => type switch
    {
        Decimal128Type d => string.Create(CultureInfo.InvariantCulture, $"decimal128({d.Precision}, {d.Scale})"),
        TimestampType t => $"timestamp[{t.Unit.ToString().ToLowerInvariant()}, {t.Timezone}]",
        _ => type.Name,
    };
}
