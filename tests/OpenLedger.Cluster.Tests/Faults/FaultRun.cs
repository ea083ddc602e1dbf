using System.Diagnostics;

namespace OpenLedger.Cluster.Tests.Faults;

/// <summary>
/// One fault test's run: the workload going in the background, the faults injected (each logged with when), and at the
/// end the audit, written to the report.
/// </summary>
public sealed class FaultRun
{
    private readonly FaultGrid _grid;
    private readonly ChainLedger _before;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _injected = [];
    private Task _running = Task.CompletedTask;

    private FaultRun(FaultGrid grid, FaultWorkload workload, ChainLedger before)
    {
        _grid = grid;
        Workload = workload;
        _before = before;
    }

    /// <summary>The workload.</summary>
    public FaultWorkload Workload { get; }

    /// <summary>The faults injected so far.</summary>
    public IReadOnlyList<string> Injected => _injected;

    /// <summary>Starts the workload on <paramref name="grid"/>; epochs close every <paramref name="closeEvery"/> when set.</summary>
    public static async Task<FaultRun> StartAsync(FaultGrid grid, TimeSpan? closeEvery = null)
    {
        var workload = await FaultWorkload.CreateAsync(grid);
        var run = new FaultRun(grid, workload, await ChainLedger.ReadAsync(grid));
        run._running = workload.RunAsync(run._stop.Token, closeEvery);
        return run;
    }

    /// <summary>Waits until <paramref name="count"/> inferences were served, or 90 s pass (the audit then reports it).</summary>
    public async Task UntilServedAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (Workload.Served.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        _grid.Log.Write($"{Workload.Served.Count} served (waited for {count}), {Workload.Contributions.Count} contributions, {Workload.Closed.Count} epochs closed; errors: {Errors()}");
    }

    /// <summary>Injects a fault and logs it with the time and how much was served by then.</summary>
    public async Task InjectAsync(string what, Func<Task> fault)
    {
        _injected.Add($"{what} at {_clock.Elapsed.TotalSeconds:0.0} s ({Workload.Served.Count} served, {Workload.Contributions.Count} contributions)");
        _grid.Log.Write("inject: " + _injected[^1]);
        await fault();
    }

    /// <summary>Stops the workload, audits, writes the report entry and returns the outcome.</summary>
    public async Task<FaultOutcome> FinishAsync(string fault)
    {
        _stop.Cancel();
        await _running;
        var elapsed = _clock.Elapsed;
        _grid.Log.Write($"workload stopped: {Workload.Served.Count} served of {Workload.Requests} requests; errors: {Errors()}");
        var outcome = await new FaultAudit(_grid, Workload, _before).RunAsync(fault, _injected, elapsed);
        await FaultReport.WriteAsync(outcome);
        foreach (var check in outcome.Checks)
        {
            _grid.Log.Write($"{(check.Passed ? "ok  " : "FAIL")} {check.Name}: {check.Detail}");
        }
        return outcome;
    }

    private string Errors() => string.Join(", ", Workload.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} x{e.Value}"));
}
