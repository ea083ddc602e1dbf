using OpenLedger.Datanets;
using OpenLedger.Errors;
using OpenLedger.Grains.Storage;
using OpenLedger.Models;

namespace OpenLedger.Grains.Models;

/// <summary>
/// Base model folders on this silo's disk, fetched from Blob storage once per model hash and reused by every job.
/// A folder appears under its final name only when complete, so a crash mid-download leaves no partial cache.
/// </summary>
public sealed class BaseModelStore(BlobArtifactStore artifacts)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Where cached models live; OPENLEDGER_MODEL_CACHE overrides the temp folder.</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("OPENLEDGER_MODEL_CACHE") is { Length: > 0 } root
            ? root
            : Path.Combine(Path.GetTempPath(), "openledger-models");

    /// <summary>The Blob name of a base model file.</summary>
    public static string BlobName(string model, string file) => $"base/{model}/{file}";

    /// <summary>Takes <paramref name="folder"/>, already checked against <paramref name="info"/>, as the cached copy (moving it) unless one exists.</summary>
    public void Adopt(BaseModelInfo info, string folder)
    {
        var target = Path.Combine(CacheRoot, info.Hash[2..]);
        try
        {
            Directory.CreateDirectory(CacheRoot);
            if (!Directory.Exists(target))
            {
                Directory.Move(folder, target);
            }
        }
        catch (IOException)
        {
            // Another process cached it first, or the temp folder is on another device: the download path still works.
        }
    }

    /// <summary>A local folder holding <paramref name="info"/>'s checkpoint.</summary>
    public async Task<string> LocalFolderAsync(BaseModelInfo info, CancellationToken cancellation = default)
    {
        var folder = Path.Combine(CacheRoot, info.Hash[2..]);
        if (Directory.Exists(folder))
        {
            return folder;
        }
        await _gate.WaitAsync(cancellation);
        try
        {
            if (Directory.Exists(folder))
            {
                return folder;
            }
            var partial = folder + ".partial-" + Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(partial);
            try
            {
                foreach (var file in info.Files)
                {
                    var local = Path.Combine(partial, file.Name);
                    await artifacts.DownloadToFileAsync(StorageNames.ModelsContainer, BlobName(info.Name, file.Name), local, cancellation);
                    if (await Keccak.HashFileHexAsync(local, cancellation) != file.Hash)
                    {
                        throw new InvalidCheckpointException(file.Name, $"in Blob storage no longer has the hash {file.Hash} recorded at import; import the base model again under a new name.");
                    }
                }
                Directory.Move(partial, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                // Another silo process on this host finished the same download first; its copy is as good.
            }
            finally
            {
                if (Directory.Exists(partial))
                {
                    Directory.Delete(partial, recursive: true);
                }
            }
            return folder;
        }
        finally
        {
            _gate.Release();
        }
    }
}
