using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenLedger.Testing.Fuzzing;

/// <summary>
/// Writes campaign tallies to bench/results/fuzz.json (fuzz-long.json for the long runs), one entry per parser.
/// Test projects run at the same time, so each write holds the file open exclusively while it reads, merges and writes.
/// </summary>
public static class FuzzReport
{
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    /// <summary>Records <paramref name="tally"/> under its parser, replacing the parser's previous entry.</summary>
    public static void Record(FuzzTally tally, bool longRun)
    {
        Directory.CreateDirectory(RepoPaths.BenchResults);
        var path = Path.Combine(RepoPaths.BenchResults, longRun ? "fuzz-long.json" : "fuzz.json");
        using var file = OpenExclusive(path);
        JsonObject root;
        try
        {
            root = file.Length > 0 ? JsonNode.Parse(file) as JsonObject ?? [] : [];
        }
        catch (JsonException)
        {
            root = [];
        }
        var parsers = root["parsers"] as JsonObject ?? [];
        parsers[tally.Parser] = new JsonObject
        {
            ["seed"] = tally.Seed,
            ["mutants"] = tally.Mutants,
            ["inputs"] = tally.Inputs,
            ["accepted"] = tally.Accepted,
            ["refused"] = tally.Refused.Values.Sum(),
            ["refused_by"] = new JsonObject(tally.Refused.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
            ["defects"] = tally.Defects,
            ["seconds"] = Math.Round(tally.Seconds, 2),
            ["slowest_input_ms"] = Math.Round(tally.SlowestMs, 1),
        };
        var sorted = new JsonObject(parsers.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var report = new JsonObject
        {
            ["suite"] = longRun ? "fuzz-long" : "fuzz",
            ["parsers"] = sorted,
            ["inputs"] = sorted.Sum(p => p.Value!["inputs"]!.GetValue<int>()),
            ["defects"] = sorted.Sum(p => p.Value!["defects"]!.GetValue<int>()),
        };
        file.SetLength(0);
        JsonSerializer.Serialize(file, report, _indented);
        file.WriteByte((byte)'\n');
    }

    private static FileStream OpenExclusive(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(50);   // another test project is writing its entry
            }
        }
    }
}
