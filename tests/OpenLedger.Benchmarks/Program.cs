using OpenLedger.Benchmarks;

var suite = args.Length > 0 ? args[0] : "";
var outIndex = Array.IndexOf(args, "--out");
var folder = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : Path.Combine("bench", "results");
var machine = new { cores = Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString() };

switch (suite)
{
    case "contributions":
        await BenchResults.WriteAsync(folder, suite, await ContributionsBench.RunAsync(), machine);
        return 0;
    case "training":
        await BenchResults.WriteAsync(folder, suite, await TrainingBench.RunAsync(), machine);
        return 0;
    case "spans":
        await BenchResults.WriteAsync(folder, suite, SpanIndexBench.Run(), machine);
        return 0;
    case "serving":
        await BenchResults.WriteAsync(folder, suite, ServingBench.Run(), machine);
        return 0;
    case "attribution":
        await BenchResults.WriteAsync(folder, suite, await AttributionBench.RunAsync(), machine);
        return 0;
    case "settlement":
        await BenchResults.WriteAsync(folder, suite, await SettlementBench.RunAsync(), machine);
        return 0;
    case "agents":
        await BenchResults.WriteAsync(folder, suite, await AgentsBench.RunAsync(), machine);
        return 0;
    case "queries":
        await BenchResults.WriteAsync(folder, suite, await QueriesBench.RunAsync(), machine);
        return 0;
    case "load":
        await BenchResults.WriteAsync(folder, suite, await LoadBench.RunAsync(), machine);
        return 0;
    case "training-worker":
        return TrainingBench.Worker(args[1], args[2]);
    default:
        Console.Error.WriteLine($"Unknown suite '{suite}'. Suites: contributions, training, serving, spans, attribution, settlement, agents, queries, load");
        return 2;
}
