using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

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

    /// <summary>Reads a blob whole.</summary>
    public async Task<BinaryData> GetAsync(string container, string name, CancellationToken cancellation = default)
    {
        var blob = (await _containers[container].Value).GetBlobClient(name);
        var result = await blob.DownloadContentAsync(cancellation);
        return result.Value.Content;
    }

    /// <summary>The URI a blob has or would have.</summary>
    public async Task<Uri> UriOfAsync(string container, string name) => (await _containers[container].Value).GetBlobClient(name).Uri;

    private static Lazy<Task<BlobContainerClient>> Container(BlobServiceClient blobs, string name) => new(async () =>
    {
        var container = blobs.GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync();
        return container;
    });
}
