using OpenLedger.Client;
using OpenLedger.Model;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Tokenization;
using OpenLedger.Models;

namespace OpenLedger.Testing;

/// <summary>A tiny GPT-2-tokenized Llama checkpoint the tests generate, and training specs that suit it.</summary>
public static class TinyBaseModels
{
    public static LlamaConfig Config { get; } = new()
    {
        VocabSize = 50257,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 256,
        TieWordEmbeddings = true,
        BosTokenId = 50256,
        EosTokenId = 50256,
    };

    /// <summary>Writes a randomly initialised checkpoint folder with the GPT-2 tokenizer marker.</summary>
    public static string Write(long seed)
    {
        var folder = Path.Combine(Path.GetTempPath(), "openledger-cluster-tests", Guid.NewGuid().ToString("N"));
        using var model = new LlamaModel(Config);
        model.InitialiseWeights(seed);
        HfCheckpoint.Save(model, folder);
        TextTokenizer.Gpt2().WriteTo(folder);
        return folder;
    }

    /// <summary>Imports a fresh tiny base model under a new name.</summary>
    public static async Task<BaseModelInfo> ImportAsync(GridClient client, long seed = 1)
    {
        var name = "tiny-" + Guid.NewGuid().ToString("N")[..8];
        return await client.Models.ImportBaseAsync(name, Write(seed), "0x0000000000000000000000000000000000000001", "test base model");
    }

    /// <summary>An open Datanet with one snapshot of <paramref name="contributions"/> x <paramref name="records"/> records.</summary>
    public static async Task<(string DatanetId, int Snapshot, string Root)> SnapshotAsync(GridClient client, int contributions, int records)
    {
        var id = SampleDatanets.NewId("ft");
        await client.Datanets.CreateAsync(id, ContributorKey.Generate().Address, SampleDatanets.Open());
        for (var c = 0; c < contributions; c++)
        {
            await client.Datanets.ContributeAsync(ContributorKey.Generate(), id, SampleDatanets.Records(records, $"c{c}"));
        }
        var snapshot = await client.Datanets.SnapshotAsync(id);
        return (id, snapshot.Number, snapshot.Root);
    }

    public static TrainingJobSpec Spec(string modelId, string baseModel, string datanetId, int snapshot, int epochs = 2, int checkpointEvery = 2) =>
        new(modelId, "", baseModel, [new SnapshotRef(datanetId, snapshot)],
            new FineTuneSettings(Epochs: epochs, LearningRate: 1e-2, BatchSize: 4, SequenceLength: 64, Seed: 7, LoraRank: 4, LoraAlpha: 8,
                LoraDropout: 0.1, CheckpointEvery: checkpointEvery, ValidationFraction: 0.2), "");

    public static async Task<TrainingJobStatus> WaitAsync(GridClient client, string jobId, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        TrainingJobStatus? last = null;
        await foreach (var status in client.Models.WatchJobAsync(jobId, TimeSpan.FromMilliseconds(100), cancel.Token))
        {
            last = status;
        }
        return last!;
    }

    /// <summary>Polls until the job has written its first checkpoint (or ended).</summary>
    public static async Task<TrainingJobStatus> WaitForCheckpointAsync(GridClient client, string jobId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var status = await client.Models.GetJobAsync(jobId);
            if (status.CheckpointStep > 0 || status.IsFinal)
            {
                return status;
            }
            await Task.Delay(20, timeout.Token);
        }
    }
}
