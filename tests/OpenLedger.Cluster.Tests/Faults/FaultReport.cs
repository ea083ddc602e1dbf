using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenLedger.Cluster.Tests.Faults;

/// <summary>One check of a fault's audit.</summary>
/// <param name="Name">What must hold.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Detail">The figures it compared.</param>
public sealed record FaultCheck(string Name, bool Passed, string Detail);

/// <summary>What one fault test injected, what the workload got acknowledged, and what the audit found.</summary>
/// <param name="Fault">The test's name for the fault.</param>
/// <param name="Injected">Each fault injected, in order, with when.</param>
/// <param name="Seconds">The test's duration, setup excluded.</param>
/// <param name="ContributionsAcknowledged">Contributions the grid acknowledged.</param>
/// <param name="InferenceRequests">Inference requests sent.</param>
/// <param name="InferencesServed">Requests answered 200.</param>
/// <param name="InferencesCharged">Served inferences charged.</param>
/// <param name="InferencesAttributed">Served inferences whose record is in an anchored batch.</param>
/// <param name="EpochsPosted">Epochs on-chain at the end.</param>
/// <param name="Epochs">Their numbers.</param>
/// <param name="WeiCompared">The fees, in wei, compared with the chain.</param>
/// <param name="ClientErrors">What clients saw during the faults, by kind.</param>
/// <param name="Checks">Every check.</param>
/// <param name="Pass">Whether every check held.</param>
public sealed record FaultOutcome(
    string Fault, IReadOnlyList<string> Injected, double Seconds, int ContributionsAcknowledged, int InferenceRequests, int InferencesServed,
    int InferencesCharged, int InferencesAttributed, int EpochsPosted, IReadOnlyList<long> Epochs, string WeiCompared,
    IReadOnlyDictionary<string, int> ClientErrors, IReadOnlyList<FaultCheck> Checks, bool Pass)
{
    /// <summary>Asserts every check, naming the ones that failed with their figures.</summary>
    public void AssertPassed()
    {
        var failed = Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToList();
        Assert.True(failed.Count == 0, $"{Fault}: {failed.Count} checks failed:\n{string.Join("\n", failed)}");
    }
}

/// <summary>
/// bench/results/faults.json: one entry per fault, replaced when its test runs again, so the file holds the latest run
/// of each fault whichever tests ran.
/// </summary>
public static class FaultReport
{
    private static readonly SemaphoreSlim _writing = new(1, 1);
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The report's path under the repository root.</summary>
    public static string Path => System.IO.Path.Combine(RepoPaths.Root, "bench", "results", "faults.json");

    /// <summary>Writes <paramref name="outcome"/> into the report, keeping the other faults' entries.</summary>
    public static async Task WriteAsync(FaultOutcome outcome)
    {
        await _writing.WaitAsync();
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var faults = new JsonObject();
            if (File.Exists(Path) && JsonNode.Parse(await File.ReadAllTextAsync(Path))?["faults"] is JsonObject kept)
            {
                foreach (var (name, entry) in kept.ToList())
                {
                    faults[name] = entry?.DeepClone();
                }
            }
            faults[outcome.Fault] = JsonSerializer.SerializeToNode(new { measuredAt = DateTimeOffset.UtcNow, outcome }, _json);
            var document = new JsonObject
            {
                ["suite"] = "faults",
                ["machine"] = JsonSerializer.SerializeToNode(new { cores = Environment.ProcessorCount, dotnet = Environment.Version.ToString() }, _json),
                ["faults"] = faults,
            };
            await File.WriteAllTextAsync(Path, document.ToJsonString(_json));
        }
        finally
        {
            _writing.Release();
        }
    }
}
