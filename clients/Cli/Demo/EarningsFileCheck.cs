using System.Diagnostics;
using System.Text.Json;

namespace OpenLedger.Cli.Demo;

/// <summary>
/// Opens an exported earnings file with deploy/scripts/read-earnings.mjs (the JavaScript Arrow and Parquet libraries,
/// none of the grid's code) and returns its report: rows, schema and the exact sum of each decimal column.
/// </summary>
internal static class EarningsFileCheck
{
    /// <summary>The reader script in the checkout this CLI was built in, or null when there is none (or no node).</summary>
    public static string? Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var script = Path.Combine(dir.FullName, "deploy", "scripts", "read-earnings.mjs");
                if (File.Exists(script) && Directory.Exists(Path.Combine(dir.FullName, "deploy", "node_modules", "apache-arrow")))
                {
                    return script;
                }
            }
            return null;
        }
    }

    /// <summary>The reader's JSON report on <paramref name="file"/>.</summary>
    public static async Task<JsonElement> ReadAsync(string script, string file)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(file);
        info.ArgumentList.Add("--json");
        using var node = Process.Start(info) ?? throw new CliException("Could not start node to read the exported file.", "reader_failed");
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0)
        {
            throw new CliException($"The independent reader could not open {file}: {await errors}", "reader_failed");
        }
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}
