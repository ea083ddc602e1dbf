using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace OpenLedger.Grains.Storage;

/// <summary>
/// Content-addressed and immutable blobs: payloads under their keccak256 hash, snapshot manifests under their
/// number. Writes never overwrite, so a retried or concurrent write of the same content is harmless.
/// </summary>
public sealed class BlobArtifactStore(BlobServiceClient blobs)
{
    private readonly Dictionary<string, Lazy<Task<BlobContainerClient>>> _containers = new()
    {
        [StorageNames.PayloadsContainer] = Container(blobs, StorageNames.PayloadsContainer),
        [StorageNames.SnapshotsContainer] = Container(blobs, StorageNames.SnapshotsContainer),
        [StorageNames.ModelsContainer] = Container(blobs, StorageNames.ModelsContainer),
        [StorageNames.TrainingContainer] = Container(blobs, StorageNames.TrainingContainer),
        [StorageNames.AttributionContainer] = Container(blobs, StorageNames.AttributionContainer),
        [StorageNames.EconomyContainer] = Container(blobs, StorageNames.EconomyContainer),
    };

    /// <summary>Stores <paramref name="content"/> unless a blob of that name exists; returns its URI.</summary>
    public async Task<Uri> PutOnceAsync(string container, string name, BinaryData content, CancellationToken cancellation = default)
    {
        var blob = (await _containers[container].Value).GetBlobClient(name);
        try
        {
            await blob.UploadAsync(content, overwrite: false, cancellation);
        }
        catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
            // Same name means same content: payload names are their hashes and manifests are written once.
        }
        return blob.Uri;
    }

    /// <summary>Stores <paramref name="content"/>, replacing any blob of that name (training checkpoints).</summary>
    public async Task<Uri> PutAsync(string container, string name, BinaryData content, CancellationToken cancellation = default)
    {
        var blob = (await _containers[container].Value).GetBlobClient(name);
        await blob.UploadAsync(content, overwrite: true, cancellation);
        return blob.Uri;
    }

    /// <summary>Whether a blob exists.</summary>
    public async Task<bool> ExistsAsync(string container, string name, CancellationToken cancellation = default) =>
        await (await _containers[container].Value).GetBlobClient(name).ExistsAsync(cancellation);

    /// <summary>
    /// Stages one chunk of a blob being uploaded in parts; the block id encodes the offset, so a re-sent chunk
    /// replaces itself. Nothing is visible until <see cref="CommitChunksAsync"/>.
    /// </summary>
    public async Task StageChunkAsync(string container, string name, long offset, byte[] data, CancellationToken cancellation = default)
    {
        var blob = (await _containers[container].Value).GetBlockBlobClient(name);
        using var stream = new MemoryStream(data, writable: false);
        await blob.StageBlockAsync(ChunkId(offset), stream, cancellationToken: cancellation);
    }

    /// <summary>Staged chunks of a blob as (offset, size), in offset order.</summary>
    public async Task<IReadOnlyList<(long Offset, long Size)>> StagedChunksAsync(string container, string name, CancellationToken cancellation = default)
    {
        var blob = (await _containers[container].Value).GetBlockBlobClient(name);
        try
        {
            var list = await blob.GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: cancellation);
            return list.Value.UncommittedBlocks
                .Select(b => (long.Parse(System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(b.Name)), System.Globalization.CultureInfo.InvariantCulture), b.SizeLong))
                .OrderBy(b => b.Item1)
                .ToList();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    /// <summary>Makes the staged chunks at <paramref name="offsets"/> the blob's content, in that order.</summary>
    public async Task CommitChunksAsync(string container, string name, IEnumerable<long> offsets, CancellationToken cancellation = default)
    {
        var blob = (await _containers[container].Value).GetBlockBlobClient(name);
        await blob.CommitBlockListAsync(offsets.Select(ChunkId), cancellationToken: cancellation);
    }

    /// <summary>Downloads a blob to a file, streaming (for checkpoints too large to hold in memory).</summary>
    public async Task DownloadToFileAsync(string container, string name, string path, CancellationToken cancellation = default)
    {
        var blob = (await _containers[container].Value).GetBlobClient(name);
        await blob.DownloadToAsync(path, cancellation);
    }

    /// <summary>Reads a blob whole.</summary>
    public async Task<BinaryData> GetAsync(string container, string name, CancellationToken cancellation = default)
    {
        var blob = (await _containers[container].Value).GetBlobClient(name);
        var result = await blob.DownloadContentAsync(cancellation);
        return result.Value.Content;
    }

    /// <summary>The URI a blob has or would have.</summary>
    public async Task<Uri> UriOfAsync(string container, string name) => (await _containers[container].Value).GetBlobClient(name).Uri;

    // Block ids must all have the same length: the offset as 16 zero-padded digits.
    private static string ChunkId(long offset) =>
        Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(offset.ToString("D16", System.Globalization.CultureInfo.InvariantCulture)));

    private static Lazy<Task<BlobContainerClient>> Container(BlobServiceClient blobs, string name) => new(async () =>
    {
        var container = blobs.GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync();
        return container;
    });
}
