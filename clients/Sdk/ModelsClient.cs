using System.Numerics;
using System.Runtime.CompilerServices;
using OpenLedger.Datanets;
using OpenLedger.Models;

namespace OpenLedger.Client;

/// <summary>Base models, fine-tuning jobs and published models.</summary>
public sealed class ModelsClient(IClusterClient cluster)
{
    /// <summary>Chunk size for uploads; below the grain's 4 MiB limit and the default message size.</summary>
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>
    /// Uploads a local Hugging Face checkpoint folder (config.json, safetensors weights, tokenizer files) as base model
    /// <paramref name="name"/>; other files a download carries (README.md, LICENSE, .gitattributes) stay behind, and
    /// pickled weights are sent to be refused by name. <paramref name="progress"/> receives bytes sent out of the
    /// total. The grid validates the whole checkpoint before the model becomes visible.
    /// </summary>
    public async Task<BaseModelInfo> ImportBaseAsync(string name, string folder, string importedBy, string description,
        IProgress<(long Sent, long Total)>? progress = null, CancellationToken cancellation = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"There is no folder '{folder}'.");
        }
        var files = Directory.GetFiles(folder)
            .Select(path => (Path: path, Name: Path.GetFileName(path)))
            .Where(f => CheckpointFiles.Refusal(f.Name) is null || CheckpointFiles.IsPickle(f.Name))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var announced = new List<ModelFile>();
        foreach (var (path, fileName) in files)
        {
            announced.Add(new ModelFile(fileName, new FileInfo(path).Length, await Keccak.HashFileHexAsync(path, cancellation)));
        }
        var grain = cluster.GetGrain<IBaseModelGrain>(name);
        await grain.BeginImport(new BaseModelImport(importedBy, description, announced));
        var total = announced.Sum(f => f.Bytes);
        long sent = 0;
        var buffer = new byte[ChunkBytes];
        foreach (var (path, fileName) in files)
        {
            await using var stream = File.OpenRead(path);
            long offset = 0;
            int read;
            while ((read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellation)) > 0)
            {
                await grain.UploadChunk(fileName, offset, buffer.AsSpan(0, read).ToArray());
                offset += read;
                sent += read;
                progress?.Report((sent, total));
            }
        }
        return await grain.CompleteImport();
    }

    /// <summary>Base models by name.</summary>
    public async Task<IReadOnlyList<BaseModelInfo>> ListBaseAsync()
    {
        var names = await cluster.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).ListBaseModels();
        return await Task.WhenAll(names.Select(n => cluster.GetGrain<IBaseModelGrain>(n).GetInfo()));
    }

    /// <summary>One base model.</summary>
    public Task<BaseModelInfo> GetBaseAsync(string name) => cluster.GetGrain<IBaseModelGrain>(name).GetInfo();

    /// <summary>Signs the request with the owner's key and starts job <paramref name="jobId"/>.</summary>
    public Task<TrainingJobStatus> TrainAsync(ContributorKey owner, string jobId, TrainingJobSpec spec) =>
        cluster.GetGrain<ITrainingJobGrain>(jobId).Start(owner.SignTraining(jobId, spec));

    /// <summary>A job's progress.</summary>
    public Task<TrainingJobStatus> GetJobAsync(string jobId) => cluster.GetGrain<ITrainingJobGrain>(jobId).GetStatus();

    /// <summary>Cancels a job between steps.</summary>
    public Task<TrainingJobStatus> CancelJobAsync(string jobId) => cluster.GetGrain<ITrainingJobGrain>(jobId).Cancel();

    /// <summary>Polls a job every <paramref name="interval"/> and yields each new status until it is final.</summary>
    public async IAsyncEnumerable<TrainingJobStatus> WatchJobAsync(string jobId, TimeSpan interval, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var lastKey = "";
        while (true)
        {
            var status = await GetJobAsync(jobId);
            var key = $"{status.State}/{status.Step}/{status.CheckpointStep}/{status.BaseValidationLoss}";
            if (key != lastKey)
            {
                lastKey = key;
                yield return status;
            }
            if (status.IsFinal)
            {
                yield break;
            }
            await Task.Delay(interval, cancellation);
        }
    }

    /// <summary>Published models.</summary>
    public async Task<IReadOnlyList<ModelInfo>> ListAsync()
    {
        var ids = await cluster.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).ListModels();
        return await Task.WhenAll(ids.Select(id => cluster.GetGrain<IModelGrain>(id).GetInfo()));
    }

    /// <summary>One model's provenance, metrics and price.</summary>
    public Task<ModelInfo> GetAsync(string modelId) => cluster.GetGrain<IModelGrain>(modelId).GetInfo();

    /// <summary>Sets a model's price per 1,000 tokens, signed by its owner.</summary>
    public Task<ModelInfo> SetPriceAsync(ContributorKey owner, string modelId, BigInteger pricePerThousandTokensWei) =>
        cluster.GetGrain<IModelGrain>(modelId).SetPrice(owner.SignPrice(modelId, pricePerThousandTokensWei));
}
