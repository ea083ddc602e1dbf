using System.Text.Json;
using OpenLedger.Attribution.Artifacts;
using OpenLedger.Attribution.Influence;
using OpenLedger.Attribution.Spans;
using OpenLedger.Datanets;
using OpenLedger.Grains.Storage;
using OpenLedger.Model.Influence;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Training;

namespace OpenLedger.Grains.Attribution;

/// <summary>
/// Builds a model's attribution index while it trains. At a few evenly spread checkpoints (always the last) it takes
/// every training example's projected LoRA gradient in batched passes, fits DataInf's per-layer inverse, and stores
/// the gradients as Arrow shards with the adapter as it was then. At the last checkpoint it builds each shard's suffix
/// array and writes <c>index.json</c>. Every checkpoint's artifacts are written before the trainer's own checkpoint,
/// so a job resumed after a crash redoes at most the checkpoint it was in.
/// </summary>
public sealed class AttributionIndexHook(
    BlobArtifactStore artifacts, AttributionOptions options, string modelId, string baseModel, LoraSettings lora, long checkpointEvery) : ICheckpointHook
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public void OnCheckpoint(CheckpointContext context)
    {
        if (!Records(context.Step, context.TotalSteps))
        {
            return;
        }
        var checkpoint = RecordCheckpoint(context);
        Put($"{modelId}/checkpoints/{context.Step:D8}.json", JsonSerializer.SerializeToUtf8Bytes(checkpoint, _json));
        if (context.Step >= context.TotalSteps)
        {
            WriteIndex(context);
        }
    }

    /// <summary>Whether the checkpoint at <paramref name="step"/> is one whose gradients are kept.</summary>
    public bool Records(long step, long totalSteps)
    {
        if (step >= totalSteps)
        {
            return true;
        }
        var kept = Math.Max(1, options.RecordedCheckpoints);
        // The first checkpoint past each of `kept` even marks through the run.
        return step * kept / totalSteps > Math.Max(0, step - checkpointEvery) * kept / totalSteps;
    }

    /// <summary>The shards of a training set: each Datanet's examples cut into contiguous runs.</summary>
    public static IReadOnlyList<(string Name, string DatanetId, int[] Examples)> Shards(IReadOnlyList<TrainingExample> examples, int perDatanet)
    {
        var shards = new List<(string, string, int[])>();
        foreach (var datanet in examples.Select((e, i) => (e.Source.DatanetId, Index: i)).GroupBy(e => e.DatanetId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = datanet.Select(e => e.Index).ToArray();
            var count = Math.Clamp(perDatanet, 1, members.Length);
            for (var s = 0; s < count; s++)
            {
                var (from, to) = (members.Length * s / count, members.Length * (s + 1) / count);
                shards.Add(($"{datanet.Key}.{s}", datanet.Key, members[from..to]));
            }
        }
        return shards;
    }

    private IndexCheckpoint RecordCheckpoint(CheckpointContext context)
    {
        var sequences = context.Examples.Select(e => e.Tokens).ToList();
        float[] rows;
        IReadOnlyList<(string Path, int Length)> layout;
        using (var projector = new GradientProjector(context.Model, options.ProjectionDimensions, options.ProjectionSeed))
        {
            rows = ProjectedGradients.OfExamples(projector, context.Model, sequences, context.SequenceLength, options.GradientBatch);
            layout = ProjectedGradients.Layout(context.Model, options.ProjectionDimensions);
        }
        var width = layout.Sum(l => l.Length);
        var blocks = LayerBlock.Contiguous(layout);
        var folder = $"{modelId}/checkpoints/{context.Step:D8}";
        using var inverse = new MemoryStream();
        var dataInf = DataInf.Fit(blocks, rows, context.Examples.Count);
        var self = dataInf.SelfInfluence(rows, context.Examples.Count);
        dataInf.WriteTo(inverse);
        var inverseArtifact = Put($"{folder}/datainf.bin", inverse.ToArray());
        var adapter = PeftAdapter.Capture(context.Model, lora, baseModel);
        var config = Put($"{folder}/{PeftAdapter.ConfigFile}", System.Text.Encoding.UTF8.GetBytes(adapter.ConfigJson));
        var weights = Put($"{folder}/{PeftAdapter.WeightsFile}", adapter.Weights);
        var shards = new List<CheckpointShard>();
        foreach (var (name, _, members) in Shards(context.Examples, options.ShardsPerDatanet))
        {
            var shardRows = new float[members.Length * width];
            for (var i = 0; i < members.Length; i++)
            {
                rows.AsSpan(members[i] * width, width).CopyTo(shardRows.AsSpan(i * width));
            }
            var examples = members.Select(i => Reference(context.Examples[i], i)).ToList();
            var shardSelf = members.Select(i => self[i]).ToArray();
            using var file = new MemoryStream();
            GradientShardFile.WriteAsync(file, new GradientShard(context.Step, examples, new CheckpointGradients(context.LearningRate, width, shardRows, shardSelf)))
                .GetAwaiter().GetResult();
            shards.Add(new CheckpointShard(name, Put($"{folder}/{name}.arrow", file.ToArray()), members.Length));
        }
        return new IndexCheckpoint(context.Step, context.LearningRate, config, weights, inverseArtifact, shards);
    }

    private void WriteIndex(CheckpointContext context)
    {
        // What was recorded is read back from storage, not recomputed: a job resumed under other settings still lists
        // exactly the checkpoints it kept.
        var checkpoints = new List<IndexCheckpoint>();
        for (var step = checkpointEvery; step < context.TotalSteps + checkpointEvery; step += checkpointEvery)
        {
            var at = Math.Min(step, context.TotalSteps);
            var name = $"{modelId}/checkpoints/{at:D8}.json";
            if (!artifacts.ExistsAsync(StorageNames.AttributionContainer, name).GetAwaiter().GetResult())
            {
                continue;
            }
            var json = Get(name);
            checkpoints.Add(JsonSerializer.Deserialize<IndexCheckpoint>(json, _json)
                ?? throw new InvalidDataException($"The record of checkpoint {at} is empty."));
        }
        var shards = new List<IndexShard>();
        foreach (var (name, datanet, members) in Shards(context.Examples, options.ShardsPerDatanet))
        {
            var index = SuffixArray.Build(TokenCorpus.From(members.Select(i => context.Examples[i].Tokens)));
            using var file = new MemoryStream();
            SuffixArrayFile.Write(file, index);
            var tokens = index.Corpus.Tokens.Length - (long)index.Corpus.Documents;
            shards.Add(new IndexShard(name, datanet, members.Length, tokens, Put($"{modelId}/spans/{name}.olsa", file.ToArray())));
        }
        var manifest = new AttributionIndex(AttributionIndex.CurrentFormat, modelId, baseModel, options.ProjectionDimensions, options.ProjectionSeed,
            context.SequenceLength, checkpoints, shards);
        Put(AttributionIndex.ManifestBlob(modelId), manifest.ToJson());
    }

    private static ExampleRef Reference(TrainingExample example, int index) =>
        new(index, example.Source.ContributionId, example.Source.Contributor);

    // The hook runs on the trainer's worker thread, outside any grain, so waiting here blocks nothing else.
    private IndexArtifact Put(string name, byte[] bytes)
    {
        artifacts.PutAsync(StorageNames.AttributionContainer, name, new BinaryData(bytes)).GetAwaiter().GetResult();
        return new IndexArtifact(name, Keccak.HashHex(bytes));
    }

    private byte[] Get(string name) => artifacts.GetAsync(StorageNames.AttributionContainer, name).GetAwaiter().GetResult().ToArray();
}
