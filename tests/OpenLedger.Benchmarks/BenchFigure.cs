using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLedger.Benchmarks;

/// <summary>One measured figure; <see cref="Holds"/> is set only where an issue sets a target.</summary>
public sealed record BenchFigure(
    string Name,
    double Value,
    string Unit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Target = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Holds = null);

/// <summary>Writes a suite's figures to bench/results/SUITE.json.</summary>
public static class BenchResults
{
    /// <summary>Writes the file and prints each figure.</summary>
    public static async Task WriteAsync(string folder, string suite, IReadOnlyList<BenchFigure> figures, object machine)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, suite + ".json");
        var document = new { suite, measuredAt = DateTimeOffset.UtcNow, machine, figures };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        foreach (var f in figures)
        {
            Console.WriteLine($"{f.Name,-40} {f.Value,12:0.###} {f.Unit}{(f.Target is null ? "" : $"   target {f.Target}: {(f.Holds == true ? "holds" : "MISSED")}")}");
        }
        Console.WriteLine($"wrote {path}");
    }
}
