namespace OpenLedger.Models;

/// <summary>
/// A base model, keyed by its name. Imports are staged: announce the files, upload chunks, then complete; the
/// checkpoint is validated (config, every tensor, tokenizer, hashes) before it becomes visible, so a failed import
/// leaves nothing behind that training could pick up.
/// </summary>
[Alias("OpenLedger.IBaseModelGrain")]
public interface IBaseModelGrain : IGrainWithStringKey
{
    /// <summary>Starts (or restarts) an import of the announced files. Fails if the name is taken.</summary>
    [Alias("BeginImport")]
    Task BeginImport(BaseModelImport import);

    /// <summary>Stores bytes of <paramref name="file"/> at <paramref name="offset"/>; chunks may be re-sent.</summary>
    [Alias("UploadChunk")]
    Task UploadChunk(string file, long offset, byte[] data);

    /// <summary>
    /// Assembles the files, checks sizes and hashes, validates the checkpoint and publishes it. Loading every tensor
    /// of a large checkpoint takes minutes, hence the long timeout.
    /// </summary>
    [Alias("CompleteImport"), ResponseTimeout("00:30:00")]
    Task<BaseModelInfo> CompleteImport();

    /// <summary>The base model; fails with <see cref="Errors.UnknownBaseModelException"/> if there is none.</summary>
    [Alias("GetInfo")]
    Task<BaseModelInfo> GetInfo();
}
