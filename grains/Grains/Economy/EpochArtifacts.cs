using System.Globalization;
using System.Text.Json;
using OpenLedger.Economy.Epochs;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// Where closed epochs live in Blob storage: <c>epochs/NNNNNNNN/manifest.arrow</c> (every cumulative leaf, Arrow IPC)
/// and <c>epochs/NNNNNNNN/attributions.json</c> (inference id → record hash: the anchored batch). Both are rebuilt
/// identically when a crashed close is redone.
/// </summary>
public sealed class EpochArtifacts(BlobArtifactStore blobs)
{
    /// <summary>The manifest's blob name.</summary>
    public static string ManifestName(long epochId) => $"epochs/{epochId.ToString("D8", CultureInfo.InvariantCulture)}/manifest.arrow";

    /// <summary>The attribution batch's blob name.</summary>
    public static string BatchName(long epochId) => $"epochs/{epochId.ToString("D8", CultureInfo.InvariantCulture)}/attributions.json";

    /// <summary>Writes an epoch's manifest and batch.</summary>
    public async Task WriteAsync(EpochClose close, AttributionBatch batch)
    {
        using var manifest = new MemoryStream();
        await EpochManifestFile.WriteAsync(manifest, close);
        await blobs.PutAsync(StorageNames.EconomyContainer, ManifestName(close.EpochId), new BinaryData(manifest.ToArray()));
        var records = new SortedDictionary<string, string>(batch.Records.ToDictionary(), StringComparer.Ordinal);
        await blobs.PutAsync(StorageNames.EconomyContainer, BatchName(close.EpochId), BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(records)));
    }

    /// <summary>Reads back an epoch's manifest, every hash recomputed.</summary>
    public async Task<EpochClose> ManifestAsync(long epochId)
    {
        var data = await blobs.GetAsync(StorageNames.EconomyContainer, ManifestName(epochId));
        return await EpochManifestFile.ReadAsync(data.ToStream());
    }

    /// <summary>Reads back an epoch's attribution batch.</summary>
    public async Task<AttributionBatch> BatchAsync(long epochId)
    {
        var data = await blobs.GetAsync(StorageNames.EconomyContainer, BatchName(epochId));
        return new AttributionBatch(data.ToObjectFromJson<Dictionary<string, string>>()!);
    }
}
