using OpenLedger.Client;
using OpenLedger.Models;
using Xunit.Abstractions;

namespace OpenLedger.Cluster.Tests.Faults;

/// <summary>
/// The long fault suite, on one three-silo grid that every fault leaves whole again: a silo killed with SIGKILL while
/// it closes an epoch and while it trains, and Azurite, Redis and the EVM node each restarted under load. After each,
/// the audit checks that nothing acknowledged was lost or doubled and that the chain agrees with the ledger to the wei.
/// </summary>
[Trait("Category", "Long")]
public sealed class GridFaultTests : IClassFixture<FaultGridFixture>
{
    private readonly FaultGrid _grid;

    public GridFaultTests(FaultGridFixture fixture, ITestOutputHelper output)
    {
        _grid = fixture.Grid;
        _grid.Log = new FaultLog(output);
    }

    [Fact]
    public async Task A_silo_killed_while_it_closes_an_epoch_leaves_the_epoch_on_chain_once()
    {
        var run = await FaultRun.StartAsync(_grid);
        await run.UntilServedAsync(15);

        // Close an epoch and kill the settlement grain's silo while the close is on its way to the chain.
        await _grid.Settlement.Epochs();
        var host = await _grid.HostOfAsync(_grid.Settlement) ?? _grid.Silos[0];
        var closing = _grid.Settlement.CloseEpoch();
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        await run.InjectAsync($"kill -9 silo {host.Index} (hosting the settlement grain) while it closes an epoch", () => _grid.KillAsync(host.Index));
        await run.UntilServedAsync(run.Workload.Served.Count + 10);
        await run.InjectAsync($"restart silo {host.Index} on its ports", () => _grid.RestartAsync(host.Index));
        await run.UntilServedAsync(run.Workload.Served.Count + 10);
        // The caller of the interrupted close may wait out its response timeout; what matters is the chain below.
        _grid.Log.Write($"the close in flight: {Outcome(closing)}");

        var result = await run.FinishAsync("kill-during-epoch-close");
        result.AssertPassed();
    }

    [Fact]
    public async Task A_silo_killed_while_it_trains_resumes_the_job_from_its_checkpoint_to_the_same_adapter()
    {
        var client = _grid.Grid;
        var owner = ContributorKey.Generate();
        var baseModel = await TinyBaseModels.ImportAsync(client, seed: 11);
        var (datanet, snapshot, _) = await TinyBaseModels.SnapshotAsync(client, contributions: 2, records: 10);
        var referenceModel = "faults-ref-" + Guid.NewGuid().ToString("N")[..6];
        var reference = await client.Models.TrainAsync(owner, "ref-" + Guid.NewGuid().ToString("N")[..8],
            TinyBaseModels.Spec(referenceModel, baseModel.Name, datanet, snapshot, epochs: 12, checkpointEvery: 3));
        var referenceDone = await UntilFinalAsync(reference.JobId);
        Assert.True(referenceDone.State == TrainingState.Completed, referenceDone.Error);
        _grid.Log.Write($"reference job done: {referenceDone.Step} of {referenceDone.TotalSteps} steps");

        var run = await FaultRun.StartAsync(_grid, closeEvery: TimeSpan.FromSeconds(15));
        var jobId = "faults-job-" + Guid.NewGuid().ToString("N")[..8];
        var modelId = "faults-resumed-" + Guid.NewGuid().ToString("N")[..6];
        await client.Models.TrainAsync(owner, jobId, TinyBaseModels.Spec(modelId, baseModel.Name, datanet, snapshot, epochs: 12, checkpointEvery: 3));
        var before = await TinyBaseModels.WaitForCheckpointAsync(client, jobId);
        Assert.False(before.IsFinal, "the job finished before the kill; give it more steps");
        var host = await _grid.HostOfAsync(client.Cluster.GetGrain<ITrainingJobGrain>(jobId)) ?? _grid.Silos[1];
        await run.InjectAsync($"kill -9 silo {host.Index} (training job at step {before.Step}, checkpoint {before.CheckpointStep})", () => _grid.KillAsync(host.Index));
        await Task.Delay(TimeSpan.FromSeconds(5));
        await run.InjectAsync($"restart silo {host.Index} on its ports", () => _grid.RestartAsync(host.Index));
        var done = await UntilFinalAsync(jobId);
        await run.UntilServedAsync(run.Workload.Served.Count + 5);
        var result = await run.FinishAsync("kill-during-training");
        _grid.Log.Write($"resumed job: {done.State}, step {done.Step} of {done.TotalSteps}, resumes {done.Resumes}");

        Assert.True(done.State == TrainingState.Completed, done.Error);
        Assert.True(done.Resumes >= 1, "the job should have resumed from its checkpoint");
        Assert.Equal(referenceDone.TotalSteps, done.Step);
        var resumed = await client.Models.GetAsync(modelId);
        var uninterrupted = await client.Models.GetAsync(referenceModel);
        Assert.Equal(uninterrupted.Publication.AdapterHash, resumed.Publication.AdapterHash);
        Assert.Equal(uninterrupted.Publication.Metrics.ValidationLoss, resumed.Publication.Metrics.ValidationLoss);
        result.AssertPassed();
    }

    [Theory]
    [InlineData("azurite")]
    [InlineData("redis")]
    [InlineData("ganache")]
    public async Task A_server_restarted_under_load_loses_or_doubles_nothing(string server)
    {
        var run = await FaultRun.StartAsync(_grid, closeEvery: TimeSpan.FromSeconds(8));
        await run.UntilServedAsync(15);
        Func<TimeSpan?, Task> restart = server switch
        {
            "azurite" => _grid.Storage.RestartAsync,
            "redis" => _grid.Redis.RestartAsync,
            _ => _grid.Chain.RestartAsync,
        };
        await run.InjectAsync($"restart {server} (3 s down, same port and data)", () => restart(TimeSpan.FromSeconds(3)));
        _grid.Log.Write($"{server} is back");
        await run.UntilServedAsync(run.Workload.Served.Count + 20);

        var result = await run.FinishAsync($"restart-{server}");
        result.AssertPassed();
    }

    // The job's status, read until it is final; reads that fail while a silo is down are tried again.
    private async Task<TrainingJobStatus> UntilFinalAsync(string jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        TrainingJobStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await _grid.Grid.Models.GetJobAsync(jobId);
                if (last.IsFinal)
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is TimeoutException or Orleans.Runtime.OrleansException)
            {
            }
            await Task.Delay(500);
        }
        return last ?? throw new TimeoutException($"job {jobId} never answered");
    }

    private static string Outcome(Task<OpenLedger.Economy.EpochSummary> closing) => closing.Status switch
    {
        TaskStatus.RanToCompletion => $"epoch {closing.Result.EpochId} {closing.Result.Stage} before the kill",
        TaskStatus.Faulted => $"failed with {closing.Exception!.InnerException!.GetType().Name}",
        _ => "still waiting for an answer",
    };
}

/// <summary>One fault grid for the long fault suite; its tests run one after another and leave it whole.</summary>
public sealed class FaultGridFixture : IAsyncLifetime
{
    /// <summary>The grid.</summary>
    public FaultGrid Grid { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Grid = await FaultGrid.StartAsync(new FaultLog(null));

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Grid is not null)
        {
            await Grid.DisposeAsync();
        }
    }
}
