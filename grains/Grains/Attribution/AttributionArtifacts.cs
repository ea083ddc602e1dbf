using Azure;
using OpenLedger.Datanets;
using OpenLedger.Errors;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Attribution;

/// <summary>
/// Reads attribution indexes from Blob storage, checking every artifact against the hash the index gives it, so a
/// record's artifact hashes are exactly what it was computed from. Index manifests are cached per silo: they never
/// change once written.
/// </summary>
public sealed class AttributionArtifacts(BlobArtifactStore artifacts)
{
    private readonly LoadOnce<(AttributionIndex Index, string Hash)> _indexes = new();

    /// <summary>The index of <paramref name="modelId"/> and its hash; <see cref="AttributionIndexException"/> when there is none.</summary>
    public Task<(AttributionIndex Index, string Hash)> IndexAsync(string modelId) => _indexes.GetAsync(modelId, () => LoadIndexAsync(modelId));

    /// <summary>The bytes of <paramref name="artifact"/>, checked against its hash.</summary>
    public async Task<byte[]> ReadAsync(string modelId, IndexArtifact artifact, CancellationToken cancellation = default)
    {
        byte[] bytes;
        try
        {
            bytes = (await artifacts.GetAsync(StorageNames.AttributionContainer, artifact.Blob, cancellation)).ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new AttributionIndexException(modelId, $"{artifact.Blob} is missing from Blob storage.");
        }
        var hash = Keccak.HashHex(bytes);
        if (!string.Equals(hash, artifact.Hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new AttributionIndexException(modelId, $"{artifact.Blob} hashes to {hash}, not the {artifact.Hash} its index records.");
        }
        return bytes;
    }

    private async Task<(AttributionIndex, string)> LoadIndexAsync(string modelId)
    {
        byte[] json;
        try
        {
            json = (await artifacts.GetAsync(StorageNames.AttributionContainer, AttributionIndex.ManifestBlob(modelId))).ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new AttributionIndexException(modelId, "it has no attribution index (its training has not finished, or it was not trained on this grid).");
        }
        return (AttributionIndex.Parse(modelId, json), Keccak.HashHex(json));
    }
}
