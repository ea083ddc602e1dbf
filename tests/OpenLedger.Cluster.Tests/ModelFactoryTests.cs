using Azure.Storage.Blobs;
using OpenLedger.Client;
using OpenLedger.Datanets;
using OpenLedger.Errors;
using OpenLedger.Models;

namespace OpenLedger.Cluster.Tests;

[Collection(GridClusterCollection.Name)]
public sealed class ModelFactoryTests(GridCluster grid)
{
    [Fact]
    public async Task A_job_fine_tunes_on_a_snapshot_and_publishes_the_adapter_with_its_provenance()
    {
        var client = grid.Client;
        var owner = ContributorKey.Generate();
        var baseModel = await TinyBaseModels.ImportAsync(client);
        Assert.Equal("gpt2", baseModel.Tokenizer);
        Assert.Contains(baseModel.Name, (await client.Models.ListBaseAsync()).Select(b => b.Name));
        var (datanet, snapshot, root) = await TinyBaseModels.SnapshotAsync(client, contributions: 3, records: 8);

        var modelId = "incidents-" + Guid.NewGuid().ToString("N")[..6];
        var jobId = "job-" + Guid.NewGuid().ToString("N")[..8];
        var started = await client.Models.TrainAsync(owner, jobId, TinyBaseModels.Spec(modelId, baseModel.Name, datanet, snapshot));
        Assert.Equal(owner.Address, started.Spec.Owner);

        var seen = new List<TrainingJobStatus>();
        await foreach (var status in client.Models.WatchJobAsync(jobId, TimeSpan.FromMilliseconds(50)))
        {
            seen.Add(status);
        }
        var done = seen[^1];
        Assert.True(done.State == TrainingState.Completed, done.Error);
        Assert.Equal(done.TotalSteps, done.Step);
        Assert.True(done.TokensPerSecond > 0);
        Assert.True(done.CheckpointStep > 0);
        Assert.Equal(24, done.TrainingExamples + done.ValidationExamples);
        Assert.Equal(done.TotalSteps, done.LossCurve.Count);

        var model = await client.Models.GetAsync(modelId);
        var p = model.Publication;
        Assert.Equal(owner.Address, p.Owner);
        Assert.Equal(baseModel.Hash, p.BaseModelHash);
        Assert.Equal(new SnapshotProvenance(datanet, snapshot, root, 3), Assert.Single(p.Snapshots));
        Assert.Equal(4, p.Settings.LoraRank);
        Assert.True(p.Metrics.ValidationLoss < p.Metrics.BaseValidationLoss, $"{p.Metrics.ValidationLoss} vs base {p.Metrics.BaseValidationLoss}");
        Assert.Equal(Math.Exp(p.Metrics.ValidationLoss), p.Metrics.ValidationPerplexity, 6);
        Assert.Contains(modelId, (await client.Models.ListAsync()).Select(m => m.ModelId));

        // The adapter in Blob storage is the one the hash names, in PEFT's layout.
        var container = new BlobServiceClient(grid.Storage.ConnectionString).GetBlobContainerClient("models");
        var weights = (await container.GetBlobClient($"adapters/{modelId}/adapter_model.safetensors").DownloadContentAsync()).Value.Content.ToArray();
        var config = (await container.GetBlobClient($"adapters/{modelId}/adapter_config.json").DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(OpenLedger.Grains.Models.BaseModelGrain.ModelHash(
            [new ModelFile("adapter_config.json", config.Length, Keccak.HashHex(config)), new ModelFile("adapter_model.safetensors", weights.Length, Keccak.HashHex(weights))]),
            p.AdapterHash);
        var adapter = OpenLedger.Model.Lora.PeftAdapter.Parse(System.Text.Encoding.UTF8.GetString(config), weights, modelId);
        Assert.Equal(4, adapter.Settings.Rank);

        // Every training example maps back to its contribution and contributor.
        var examples = (await new BlobServiceClient(grid.Storage.ConnectionString).GetBlobContainerClient("training")
            .GetBlobClient($"{jobId}/examples.jsonl").DownloadContentAsync()).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(24, examples.Length);
        var contributions = await client.Datanets.ListContributionsAsync(datanet);
        Assert.All(examples, line => Assert.Contains(contributions, c => line.Contains(c.Id) && line.Contains(c.Contributor)));

        // Only the owner sets the price, in whole wei.
        var priced = await client.Models.SetPriceAsync(owner, modelId, 2_500_000_000_000_000);
        Assert.Equal("2500000000000000", priced.PricePerThousandTokensWei);
        var stranger = ContributorKey.Generate();
        await Assert.ThrowsAsync<NotModelOwnerException>(() => client.Models.SetPriceAsync(stranger, modelId, 1));
        Assert.Equal("2500000000000000", (await client.Models.GetAsync(modelId)).PricePerThousandTokensWei);
    }

    [Fact]
    public async Task Bad_training_requests_get_typed_errors_and_start_nothing()
    {
        var client = grid.Client;
        var owner = ContributorKey.Generate();
        var baseModel = await TinyBaseModels.ImportAsync(client, seed: 2);
        var (datanet, snapshot, _) = await TinyBaseModels.SnapshotAsync(client, contributions: 1, records: 4);
        string NewJob() => "job-" + Guid.NewGuid().ToString("N")[..8];

        await Assert.ThrowsAsync<UnknownBaseModelException>(() =>
            client.Models.TrainAsync(owner, NewJob(), TinyBaseModels.Spec("m-" + NewJob(), "no-such-base", datanet, snapshot)));
        await Assert.ThrowsAsync<SnapshotUnavailableException>(() =>
            client.Models.TrainAsync(owner, NewJob(), TinyBaseModels.Spec("m-" + NewJob(), baseModel.Name, datanet, 9)));
        var rank = await Assert.ThrowsAsync<InvalidTrainingJobException>(() =>
            client.Models.TrainAsync(owner, NewJob(), TinyBaseModels.Spec("m-" + NewJob(), baseModel.Name, datanet, snapshot) is var s
                ? s with { Settings = s.Settings with { LoraRank = 0 } } : s));
        Assert.Contains("rank 0", rank.Message);

        // A signature by someone other than the named owner.
        var job = NewJob();
        var signed = owner.SignTraining(job, TinyBaseModels.Spec("m-" + job, baseModel.Name, datanet, snapshot));
        var forged = signed with { Owner = ContributorKey.Generate().Address };
        await Assert.ThrowsAsync<InvalidSignatureException>(() => client.Cluster.GetGrain<ITrainingJobGrain>(job).Start(forged));
        await Assert.ThrowsAsync<UnknownTrainingJobException>(() => client.Models.GetJobAsync(job));

        // A model id another job holds.
        var first = NewJob();
        var modelId = "m-" + first;
        await client.Models.TrainAsync(owner, first, TinyBaseModels.Spec(modelId, baseModel.Name, datanet, snapshot, epochs: 1));
        await Assert.ThrowsAsync<ModelExistsException>(() =>
            client.Models.TrainAsync(owner, NewJob(), TinyBaseModels.Spec(modelId, baseModel.Name, datanet, snapshot, epochs: 1)));
        Assert.Equal(TrainingState.Completed, (await TinyBaseModels.WaitAsync(client, first, TimeSpan.FromMinutes(2))).State);
    }

    [Fact]
    public async Task Broken_checkpoints_are_refused_and_leave_no_base_model()
    {
        var client = grid.Client;
        var folder = TinyBaseModels.Write(seed: 3);
        var weights = Path.Combine(folder, "model.safetensors");
        var bytes = await File.ReadAllBytesAsync(weights);
        await File.WriteAllBytesAsync(weights, bytes[..(bytes.Length - 100)]);
        var name = "broken-" + Guid.NewGuid().ToString("N")[..6];

        var error = await Assert.ThrowsAsync<InvalidCheckpointException>(() => client.Models.ImportBaseAsync(name, folder, "0x0000000000000000000000000000000000000001", ""));
        Assert.Contains("model.safetensors", error.Message);
        await Assert.ThrowsAsync<UnknownBaseModelException>(() => client.Models.GetBaseAsync(name));
        Assert.DoesNotContain(name, (await client.Models.ListBaseAsync()).Select(b => b.Name));

        var pickle = TinyBaseModels.Write(seed: 3);
        await File.WriteAllBytesAsync(Path.Combine(pickle, "pytorch_model.bin"), [1, 2, 3]);
        var refused = await Assert.ThrowsAsync<InvalidRequestException>(() => client.Models.ImportBaseAsync(name, pickle, "0x0000000000000000000000000000000000000001", ""));
        Assert.Contains("convert the checkpoint to safetensors", refused.Message);

        // A folder as a download leaves it: files that are not part of a checkpoint stay behind.
        var download = TinyBaseModels.Write(seed: 7);
        await File.WriteAllTextAsync(Path.Combine(download, "README.md"), "# tiny");
        await File.WriteAllTextAsync(Path.Combine(download, ".gitattributes"), "*.safetensors filter=lfs");
        var imported = await client.Models.ImportBaseAsync("dl-" + Guid.NewGuid().ToString("N")[..6], download, "0x0000000000000000000000000000000000000001", "");
        Assert.DoesNotContain(imported.Files, f => f.Name is "README.md" or ".gitattributes");

        var taken = await TinyBaseModels.ImportAsync(client, seed: 4);
        await Assert.ThrowsAsync<ModelExistsException>(() => client.Models.ImportBaseAsync(taken.Name, TinyBaseModels.Write(5), "0x0000000000000000000000000000000000000001", ""));
    }

    [Fact]
    public async Task A_cancelled_job_stops_between_steps_keeps_its_checkpoint_and_publishes_nothing()
    {
        var client = grid.Client;
        var owner = ContributorKey.Generate();
        var baseModel = await TinyBaseModels.ImportAsync(client, seed: 6);
        var (datanet, snapshot, _) = await TinyBaseModels.SnapshotAsync(client, contributions: 2, records: 10);
        var jobId = "cancel-" + Guid.NewGuid().ToString("N")[..8];
        var modelId = "m-" + jobId;
        await client.Models.TrainAsync(owner, jobId, TinyBaseModels.Spec(modelId, baseModel.Name, datanet, snapshot, epochs: 200, checkpointEvery: 2));
        var status = await TinyBaseModels.WaitForCheckpointAsync(client, jobId);

        var cancelled = await client.Models.CancelJobAsync(jobId);
        Assert.Equal(TrainingState.Cancelled, cancelled.State);
        Assert.True(cancelled.CheckpointStep > 0);
        Assert.True(cancelled.Step < cancelled.TotalSteps);
        var later = await client.Models.GetJobAsync(jobId);
        await Task.Delay(300);
        Assert.Equal(later.Step, (await client.Models.GetJobAsync(jobId)).Step);
        await Assert.ThrowsAsync<UnknownModelException>(() => client.Models.GetAsync(modelId));

        // The cancelled job gives the model id up: another job may publish under it.
        var retry = "retry-" + Guid.NewGuid().ToString("N")[..8];
        await client.Models.TrainAsync(owner, retry, TinyBaseModels.Spec(modelId, baseModel.Name, datanet, snapshot, epochs: 1));
        var done = await TinyBaseModels.WaitAsync(client, retry, TimeSpan.FromMinutes(2));
        Assert.True(done.State == TrainingState.Completed, done.Error);
        Assert.Equal(retry, (await client.Models.GetAsync(modelId)).Publication.JobId);
    }
}
