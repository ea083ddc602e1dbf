using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLedger.Grains.Attribution;

/// <summary>A blob of an attribution index and its keccak256 hash.</summary>
public sealed record IndexArtifact(string Blob, string Hash);

/// <summary>One shard's gradients at one checkpoint.</summary>
public sealed record CheckpointShard(string Shard, IndexArtifact Gradients, int Examples);

/// <summary>A training checkpoint whose gradients were kept: its adapter then, its DataInf inverse and its shards.</summary>
public sealed record IndexCheckpoint(long Step, double LearningRate, IndexArtifact AdapterConfig, IndexArtifact AdapterWeights, IndexArtifact DataInf, IReadOnlyList<CheckpointShard> Shards);

/// <summary>A shard of training examples: its Datanet, its example count and its suffix array.</summary>
public sealed record IndexShard(string Name, string DatanetId, int Examples, long Tokens, IndexArtifact SuffixArray);

/// <summary>
/// Everything attribution knows about a trained model, written at the end of training as <c>index.json</c>: the
/// projection that made the gradients, the kept checkpoints and the shards. Its hash names the exact artifacts an
/// attribution record was computed from.
/// </summary>
public sealed record AttributionIndex(
    string Format,
    string ModelId,
    string BaseModel,
    int ProjectionDimensions,
    long ProjectionSeed,
    int SequenceLength,
    IReadOnlyList<IndexCheckpoint> Checkpoints,
    IReadOnlyList<IndexShard> Shards)
{
    /// <summary>The format tag.</summary>
    public const string CurrentFormat = "openledger-attribution-index/1";

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>Blob folder of a model's index.</summary>
    public static string Prefix(string modelId) => $"{modelId}/";

    /// <summary>The manifest's blob name.</summary>
    public static string ManifestBlob(string modelId) => $"{modelId}/index.json";

    /// <summary>The manifest as stored.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, _json);

    /// <summary>Parses a stored manifest, naming what is wrong with a damaged one.</summary>
    public static AttributionIndex Parse(string modelId, byte[] json)
    {
        AttributionIndex? index;
        try
        {
            index = JsonSerializer.Deserialize<AttributionIndex>(json, _json);
        }
        catch (JsonException ex)
        {
            throw new Errors.AttributionIndexException(modelId, $"index.json is not valid: {ex.Message}");
        }
        if (index is null || index.Format != CurrentFormat)
        {
            throw new Errors.AttributionIndexException(modelId, $"index.json has format '{index?.Format}', expected '{CurrentFormat}'.");
        }
        if (index.Checkpoints.Count == 0 || index.Shards.Count == 0)
        {
            throw new Errors.AttributionIndexException(modelId, "index.json lists no checkpoints or no shards.");
        }
        return index;
    }
}
