using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLedger.Cluster.Tests.Earnings;

/// <summary>
/// Opens an exported earnings file with deploy/scripts/read-earnings.mjs: the JavaScript Arrow and Parquet libraries,
/// none of the grid's code. Its report: row count, schema, the exact sum of every decimal column, Parquet annotations.
/// </summary>
internal static class IndependentEarningsReader
{
    public static async Task<EarningsFileReport> ReadAsync(string file)
    {
        RepoPaths.NodeTool("apache-arrow/package.json");
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "deploy", "scripts", "read-earnings.mjs"));
        info.ArgumentList.Add(file);
        info.ArgumentList.Add("--json");
        using var node = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"read-earnings.mjs did not finish reading {file} in 2 minutes:\n{await errors}");
        }
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"read-earnings.mjs failed on {file} ({node.ExitCode}):\n{await errors}{await output}");
        }
        return JsonSerializer.Deserialize<EarningsFileReport>(await output, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}

/// <summary>What the independent reader found in a file.</summary>
internal sealed record EarningsFileReport(
    string Format,
    long Rows,
    IReadOnlyList<FileColumn> Schema,
    IReadOnlyDictionary<string, string> Sums,
    IReadOnlyDictionary<string, int> Nulls,
    IReadOnlyDictionary<string, string> Metadata,
    [property: JsonPropertyName("parquetColumns")] IReadOnlyList<ParquetColumn>? ParquetColumns);

/// <summary>A column as the Arrow library names its type.</summary>
internal sealed record FileColumn(string Name, string Type, bool Nullable, int? Precision, int? Scale, int? BitWidth);

/// <summary>A column as the Parquet footer describes it.</summary>
internal sealed record ParquetColumn(string Name, string Physical, int? Length, string? Logical, int? Precision, int? Scale, string Repetition);
