using System.Globalization;
using System.Security.Cryptography;

namespace OpenLedger.Benchmarks;

/// <summary>
/// `./openledger bench load`: a mixed workload on its own <see cref="AgentStack"/> silo (Azurite, Redis, ganache, a
/// tiny priced model): inference over HTTP from several agents, signed contributions through the SDK, and earnings and
/// grid reads over HTTP and through the SDK, all at once, in three phases:
/// <list type="number">
/// <item>capacity: closed loops (as many inference workers as a batch holds), which measures what the silo sustains;</item>
/// <item>sustainable: open loops at half that inference rate and at half the other kinds' closed-loop rates;</item>
/// <item>overload: inference offered at four times the capacity, the other kinds as before.</item>
/// </list>
/// Per kind and phase: throughput, p50/p99 latency of served calls and errors by type; at overload, the share refused
/// with 429 and that the silo's queue stayed within its bound. Afterwards every agent's charges are compared with its
/// answered calls to the wei and the Datanet's count with the accepted contributions.
/// </summary>
public static class LoadBench
{
    /// <summary>Inference requests the bench's silo holds at once (its <c>OpenLedger:Serving:MaxQueuedRequests</c>).</summary>
    public const int MaxQueuedRequests = 64;

    private const int Agents = 8;
    private const double OverloadFactor = 4;
    private static readonly TimeSpan _phase = TimeSpan.FromSeconds(30);

    /// <summary>Runs the suite and returns its figures.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync()
    {
        var operatorKey = "op-" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        Progress("starting Azurite, Redis, ganache and a silo; fine-tuning and pricing a tiny model");
        await using var stack = LoadDriver.Stack(Agents, operatorKey, MaxQueuedRequests);
        await stack.StartAsync();
        Progress($"staking and registering {Agents} agents, making an open Datanet");
        await using var driver = await LoadDriver.PrepareAsync(stack, Agents, operatorKey);
        await driver.RunAsync(new LoadShape("warm-up", TimeSpan.FromSeconds(5), null, null, null, (4, 1, 1)));
        driver.Phases.Clear();

        var figures = new List<BenchFigure>();
        foreach (var shape in Phases(driver))
        {
            Progress($"phase {shape.Name}, {shape.Duration.TotalSeconds:0} s");
            await driver.RunAsync(shape);
            Report(driver, figures);
        }
        Progress("checking charges, contributions and the silo's bound");
        var check = await driver.CheckAsync();
        var refusedSeen = driver.Phases.Sum(p => p.Kinds.Values.Sum(k => k.Refused));
        var failed = driver.Phases.Sum(p => p.Kinds.Values.Sum(k => k.Failed));
        figures.Add(new BenchFigure("silo bound on inference requests held (MaxQueuedRequests)", check.Bound, "requests"));
        figures.Add(new BenchFigure("most inference requests held at once", check.Peak, "requests", $"<= {check.Bound}", check.Peak <= check.Bound));
        figures.Add(new BenchFigure("inference requests held after the run", check.HeldAfter, "requests", "0", check.HeldAfter == 0));
        figures.Add(new BenchFigure("refusals counted by the silo minus refusals seen by clients", check.RefusalsCounted - refusedSeen, "requests", "0", check.RefusalsCounted == refusedSeen));
        figures.Add(new BenchFigure("calls failed other than 429 server_overloaded (5xx, timeouts, other codes)", failed, "calls", "0", failed == 0));
        figures.Add(new BenchFigure($"agents whose charges differ from their answered calls, to the wei (of {Agents})", check.ChargeMismatches.Count, "agents", "0", check.ChargeMismatches.Count == 0));
        figures.Add(new BenchFigure("accepted contributions missing from the Datanet", check.ContributionsAccepted - check.ContributionsStored, "contributions", "0",
            check.ContributionsAccepted == check.ContributionsStored));
        check.ChargeMismatches.ToList().ForEach(m => Console.Error.WriteLine($"  {m}"));
        PrintTable(driver);
        return figures;
    }

    // The later phases' rates come from what the first one measured.
    private static IEnumerable<LoadShape> Phases(LoadDriver driver)
    {
        yield return new LoadShape("capacity", _phase, null, null, null, (32, 2, 2));
        var capacity = driver.Phases[^1];
        double Rate(int kind) => capacity.Kinds[LoadDriver.Kinds[kind]].Served / capacity.Seconds;
        var queries = Math.Min(Rate(2), Rate(3)) / 2;
        yield return new LoadShape("sustainable", _phase, Rate(0) / 2, Rate(1) / 2, queries);
        yield return new LoadShape("overload", _phase, Rate(0) * OverloadFactor, Rate(1) / 2, queries);
    }

    private static void Report(LoadDriver driver, List<BenchFigure> figures)
    {
        var (shape, kinds, seconds) = driver.Phases[^1];
        foreach (var (kind, tally) in kinds)
        {
            var prefix = $"{shape.Name}, {kind}";
            figures.Add(new BenchFigure($"{prefix}: served/s", tally.Served / seconds, "ops/s"));
            figures.Add(new BenchFigure($"{prefix}: latency p50", BenchStatistics.Percentile(tally.Latencies.DefaultIfEmpty(0), 0.5), "ms"));
            figures.Add(new BenchFigure($"{prefix}: latency p99", BenchStatistics.Percentile(tally.Latencies.DefaultIfEmpty(0), 0.99), "ms"));
            if (shape.InferenceRate is not null && kind == LoadDriver.Kinds[0])
            {
                // Offered over the sending time alone; served rates include draining what was sent.
                figures.Add(new BenchFigure($"{prefix}: offered/s", tally.Sent / shape.Duration.TotalSeconds, "ops/s"));
                figures.Add(new BenchFigure($"{prefix}: refused with 429 server_overloaded", tally.Sent == 0 ? 0 : 100.0 * tally.Refused / tally.Sent, "%"));
            }
            foreach (var (type, count) in tally.Errors)
            {
                figures.Add(new BenchFigure($"{prefix}: errors {type}", count, "calls"));
            }
        }
    }

    private static void PrintTable(LoadDriver driver)
    {
        var rows = new List<string[]> { new[] { "phase", "kind", "sent", "served/s", "p50 ms", "p99 ms", "429 overloaded", "other errors" } };
        foreach (var (shape, kinds, seconds) in driver.Phases)
        {
            foreach (var (kind, tally) in kinds)
            {
                rows.Add([shape.Name, kind, tally.Sent.ToString(CultureInfo.InvariantCulture), (tally.Served / seconds).ToString("0.0", CultureInfo.InvariantCulture),
                    BenchStatistics.Percentile(tally.Latencies.DefaultIfEmpty(0), 0.5).ToString("0", CultureInfo.InvariantCulture),
                    BenchStatistics.Percentile(tally.Latencies.DefaultIfEmpty(0), 0.99).ToString("0", CultureInfo.InvariantCulture),
                    tally.Refused.ToString(CultureInfo.InvariantCulture),
                    string.Join(", ", tally.Errors.Where(e => e.Key != LoadTally.Overloaded).Select(e => $"{e.Key}: {e.Value}"))]);
            }
        }
        BenchTable.Print("Mixed load, per phase and kind", rows);
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[load] {message}");
}
