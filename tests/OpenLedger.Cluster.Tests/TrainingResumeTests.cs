using OpenLedger.Client;
using OpenLedger.Models;

namespace OpenLedger.Cluster.Tests;

/// <summary>A job interrupted by stopping every silo resumes from its checkpoint and ends where an uninterrupted one does.</summary>
public sealed class TrainingResumeTests : IClassFixture<GridCluster>
{
    private readonly GridCluster _grid;

    public TrainingResumeTests(GridCluster grid) => _grid = grid;

    [Fact]
    public async Task A_job_resumed_after_a_cluster_restart_ends_with_the_adapter_of_an_uninterrupted_run()
    {
        var owner = ContributorKey.Generate();
        var client = _grid.Client;
        var baseModel = await TinyBaseModels.ImportAsync(client, seed: 11);
        var (datanet, snapshot, _) = await TinyBaseModels.SnapshotAsync(client, contributions: 2, records: 10);

        var reference = await client.Models.TrainAsync(owner, "ref-" + Guid.NewGuid().ToString("N")[..8],
            TinyBaseModels.Spec("ref-" + Guid.NewGuid().ToString("N")[..8], baseModel.Name, datanet, snapshot, epochs: 12, checkpointEvery: 3));
        var referenceDone = await TinyBaseModels.WaitAsync(client, reference.JobId, TimeSpan.FromMinutes(3));
        Assert.True(referenceDone.State == TrainingState.Completed, referenceDone.Error);
        Assert.Equal(0, referenceDone.Resumes);

        var jobId = "resume-" + Guid.NewGuid().ToString("N")[..8];
        var modelId = "resumed-" + Guid.NewGuid().ToString("N")[..8];
        await client.Models.TrainAsync(owner, jobId, TinyBaseModels.Spec(modelId, baseModel.Name, datanet, snapshot, epochs: 12, checkpointEvery: 3));
        var status = await TinyBaseModels.WaitForCheckpointAsync(client, jobId);
        Assert.False(status.IsFinal, "the job finished before the restart; give it more steps");

        await _grid.RestartAsync();
        client = _grid.Client;
        var done = await TinyBaseModels.WaitAsync(client, jobId, TimeSpan.FromMinutes(3));
        Assert.True(done.State == TrainingState.Completed, done.Error);
        Assert.True(done.Resumes >= 1, "the job should have resumed from a checkpoint");

        var resumed = await client.Models.GetAsync(modelId);
        var uninterrupted = await client.Models.GetAsync(referenceDone.Spec.ModelId);
        Assert.Equal(uninterrupted.Publication.AdapterHash, resumed.Publication.AdapterHash);
        Assert.Equal(uninterrupted.Publication.Metrics.ValidationLoss, resumed.Publication.Metrics.ValidationLoss);
    }
}
