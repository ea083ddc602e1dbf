using System.Diagnostics;

namespace OpenLedger.Benchmarks;

/// <summary>
/// The attribution targets of ANCHORS.md side by side in one run, without the stack: projected against exact
/// gradients (<see cref="GradientProjectionBench"/>), the suffix array against a linear scan
/// (<see cref="SpanIndexBench"/>, its figures unchanged under "spans: "), latency per inference through the whole
/// engine and shard fan-out with bit-identical answers (<see cref="AttributionPipelineBench"/>).
/// </summary>
public static class AttributionBench
{
    /// <summary>Runs the four parts and returns their figures, the suite's wall time last.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        void Progress(string what) => Console.Error.WriteLine($"attribution bench [{clock.Elapsed.TotalSeconds,5:0}s] {what}");
        // Others' processes share this machine; their load is context for every timing below.
        var figures = new List<BenchFigure> { new("load average (1 min) at start", LoadAverage(), "runnable") };
        Progress("1/4 projected vs exact per-example gradients");
        figures.AddRange(GradientProjectionBench.Run(Progress));
        Progress("2/4 suffix array vs linear scan at 10^6 and 10^7 tokens");
        var spans = SpanIndexBench.Run().Select(f => f with { Name = "spans: " + f.Name }).ToList();
        BenchTable.Print("suffix array vs linear scan", [["figure", "value", "target"], .. spans.Select(f => new[] { f.Name, $"{f.Value:0.###} {f.Unit}", Verdict(f) })]);
        figures.AddRange(spans);
        Progress("3/4 attribution latency per inference; 4/4 shard fan-out");
        figures.AddRange(await AttributionPipelineBench.RunAsync(Progress));
        Progress("done");
        figures.Add(new BenchFigure("load average (1 min) at end", LoadAverage(), "runnable"));
        figures.Add(new BenchFigure("suite runtime", clock.Elapsed.TotalSeconds, "s"));
        Console.WriteLine();
        return figures;
    }

    /// <summary>The 1-minute load average (others' processes share this machine); NaN where /proc/loadavg is missing.</summary>
    internal static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) : double.NaN;

    private static string Verdict(BenchFigure figure) => figure.Target is null ? "" : $"{figure.Target}: {(figure.Holds == true ? "holds" : "MISSED")}";
}
