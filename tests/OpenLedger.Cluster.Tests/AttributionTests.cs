using System.Text.Json;
using Azure.Storage.Blobs;
using OpenLedger.Attribution;
using OpenLedger.Client;
using OpenLedger.Datanets;
using OpenLedger.Errors;
using OpenLedger.Serving;

namespace OpenLedger.Cluster.Tests;

/// <summary>
/// Attribution end to end on the two-silo cluster: training writes the index, serving records every answer, and the
/// attribution grain fans out to the model's shard grains and persists a record tied to the index's hashes.
/// </summary>
[Collection(GridClusterCollection.Name)]
public sealed class AttributionTests(GridCluster grid)
{
    [Fact]
    public async Task Every_served_answer_is_attributed_to_the_training_data_with_evidence_and_the_hashes_it_used()
    {
        var client = grid.Client;
        var grains = grid.Cluster.Client;
        var owner = ContributorKey.Generate();
        var baseModel = await TinyBaseModels.ImportAsync(client, seed: 5);
        var (datanet, snapshot, _) = await TinyBaseModels.SnapshotAsync(client, contributions: 3, records: 8);
        var modelId = "attributed-" + Guid.NewGuid().ToString("N")[..6];
        var jobId = "job-" + Guid.NewGuid().ToString("N")[..8];
        await client.Models.TrainAsync(owner, jobId, TinyBaseModels.Spec(modelId, baseModel.Name, datanet, snapshot));
        var done = await TinyBaseModels.WaitAsync(client, jobId, TimeSpan.FromMinutes(4));
        Assert.True(done.State == OpenLedger.Models.TrainingState.Completed, done.Error);

        // The index: kept checkpoints (the last among them) and two shards of the one Datanet, each with its suffix array.
        var container = new BlobServiceClient(grid.Storage.ConnectionString).GetBlobContainerClient("attribution");
        var indexJson = (await container.GetBlobClient($"{modelId}/index.json").DownloadContentAsync()).Value.Content.ToArray();
        using var index = JsonDocument.Parse(indexJson);
        var checkpoints = index.RootElement.GetProperty("checkpoints");
        Assert.InRange(checkpoints.GetArrayLength(), 1, 4);
        Assert.Equal(done.TotalSteps, checkpoints[checkpoints.GetArrayLength() - 1].GetProperty("step").GetInt64());
        Assert.Equal([$"{datanet}.0", $"{datanet}.1"], index.RootElement.GetProperty("shards").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        var adapterId = "attributed-adapter-" + Guid.NewGuid().ToString("N")[..6];
        var adapter = grains.GetGrain<IAdapterGrain>(adapterId);
        await adapter.Deploy(new AdapterDeployment(baseModel.Name, ModelId: modelId));
        var prompt = "{\"title\":\"Phishing wave c1 3\",\"severity\":";

        var sync = await LastChunkAsync(adapter, new CompletionRequest(prompt, MaxTokens: 24, AttributeSync: true));
        var record = Assert.IsType<AttributionRecord>(sync.Attribution);
        Assert.Equal(sync.InferenceId, record.InferenceId);
        Assert.True(record.Status == AttributionStatus.Complete, record.Error);
        Assert.Equal(modelId, record.ModelId);
        Assert.Equal(Keccak.HashHex(indexJson), record.IndexHash);
        Assert.Equal(2, record.Shards);
        Assert.NotEmpty(record.TopExamples);
        Assert.All(record.TopExamples, e => Assert.StartsWith("0x", e.Contributor));
        if (record.Contributors.Count > 0)
        {
            Assert.Equal(1_000_000_000, record.Contributors.Sum(c => c.PartsPerBillion));
        }
        Assert.All(record.Spans, s => Assert.Equal(s.Text, record.Output[s.Start..s.End]));
        // Every artifact named is in storage with exactly that hash.
        var named = Assert.Single(record.Artifacts, a => a.Name.EndsWith("datainf.bin", StringComparison.Ordinal) && a.Name.Contains($"{done.TotalSteps:D8}", StringComparison.Ordinal));
        Assert.Equal(named.Hash, Keccak.HashHex((await container.GetBlobClient(named.Name).DownloadContentAsync()).Value.Content.ToArray()));

        // The asynchronous path: the answer comes back first, the record fills in, and the same answer gets the same bits.
        var queued = await LastChunkAsync(adapter, new CompletionRequest(prompt, MaxTokens: 24));
        Assert.Null(queued.Attribution);
        Assert.NotEqual(sync.InferenceId, queued.InferenceId);
        var later = await WaitAsync(grains.GetGrain<IAttributionGrain>(queued.InferenceId!));
        Assert.Equal(AttributionStatus.Complete, later.Status);
        Assert.Equal(record.Contributors, later.Contributors);
        Assert.Equal(record.TopExamples, later.TopExamples);

        // The base model's own answers are recorded too, as owing nothing to any Datanet.
        CompletionChunk? last = null;
        await foreach (var chunk in grains.GetGrain<IBaseModelServingGrain>(baseModel.Name).Generate(new CompletionRequest(prompt, MaxTokens: 4, AttributeSync: true)))
        {
            last = chunk;
        }
        Assert.StartsWith("inf-", last!.InferenceId);
        Assert.Equal(AttributionStatus.NotAttributable, last.Attribution!.Status);
        Assert.Contains("base model", last.Attribution.Error);

        await Assert.ThrowsAsync<UnknownInferenceException>(() => grains.GetGrain<IAttributionGrain>("inf-unknown").Get());
    }

    private static async Task<CompletionChunk> LastChunkAsync(IAdapterGrain adapter, CompletionRequest request)
    {
        CompletionChunk? last = null;
        await foreach (var chunk in adapter.Generate(request))
        {
            last = chunk;
        }
        Assert.NotNull(last);
        Assert.StartsWith("inf-", last.InferenceId);
        return last;
    }

    private static async Task<AttributionRecord> WaitAsync(IAttributionGrain grain)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var record = await grain.Get();
            if (record.Status != AttributionStatus.Pending)
            {
                return record;
            }
            await Task.Delay(100, timeout.Token);
        }
    }
}
