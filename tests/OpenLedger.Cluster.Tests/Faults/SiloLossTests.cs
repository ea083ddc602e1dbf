using Xunit.Abstractions;

namespace OpenLedger.Cluster.Tests.Faults;

/// <summary>
/// A three-silo grid under load loses silos: one is killed with SIGKILL while it serves the adapter and attributes
/// answers, and comes back on its ports; then another is killed for good and the grid carries on with the rest. Nothing
/// acknowledged is lost or doubled, and the chain agrees with the ledger to the wei.
/// </summary>
public sealed class SiloLossTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_killed_while_serving_and_attributing_and_one_lost_for_good_lose_or_double_nothing()
    {
        await using var grid = await FaultGrid.StartAsync(new FaultLog(output));
        var run = await FaultRun.StartAsync(grid, closeEvery: TimeSpan.FromSeconds(12));
        await run.UntilServedAsync(12);

        // Kill the silo that hosts the adapter (so serving and its queue of attributions die with it), then restart it.
        var host = await grid.AdapterSiloAsync() ?? grid.Silos[1];
        await run.InjectAsync($"kill -9 silo {host.Index} (hosting the adapter) while serving and attributing", () => grid.KillAsync(host.Index));
        await run.UntilServedAsync(run.Workload.Served.Count + 8);
        await run.InjectAsync($"restart silo {host.Index} on its ports", () => grid.RestartAsync(host.Index));
        await run.UntilServedAsync(run.Workload.Served.Count + 8);

        // Lose the adapter's silo for good: the adapter is placed again on the remaining two, which carry on.
        var lost = await grid.AdapterSiloAsync() ?? grid.Silos[2];
        await run.InjectAsync($"kill -9 silo {lost.Index} for good (hosting the adapter)", () => grid.KillAsync(lost.Index));
        await run.UntilServedAsync(run.Workload.Served.Count + 12);
        var outcome = await run.FinishAsync("silo-kill-and-loss");

        var placed = await grid.AdapterSiloAsync();
        Assert.True(placed is { Running: true }, $"the adapter should be on a live silo, not {placed?.Index}");
        Assert.Contains(run.Workload.Served.Values, s => s.Silo != lost.Index && s.Silo != host.Index);
        outcome.AssertPassed();
    }
}
