using OpenLedger.Datanets;
using OpenLedger.Errors;
using OpenLedger.Grains.Storage;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Tokenization;
using OpenLedger.Models;

namespace OpenLedger.Grains.Models;

/// <summary>Persisted base model: the published info, or an import in progress.</summary>
[GenerateSerializer, Alias("OpenLedger.Grains.BaseModelState")]
public sealed class BaseModelState
{
    /// <summary>Set once an import completes; the model is visible only then.</summary>
    [Id(0)] public BaseModelInfo? Info { get; set; }

    /// <summary>The import being uploaded, if any.</summary>
    [Id(1)] public BaseModelImport? Pending { get; set; }
}

/// <summary>
/// A base model held in Blob storage. Files arrive as chunks staged on their final blobs; completing the import
/// checks every size and hash, loads the checkpoint fully (config, every tensor, tokenizer) and only then publishes.
/// </summary>
public sealed class BaseModelGrain(
    [PersistentState("base-model", StorageNames.GrainState)] IPersistentState<BaseModelState> state,
    BlobArtifactStore artifacts,
    BaseModelStore baseModels,
    TimeProvider clock)
    : Grain, IBaseModelGrain
{
    /// <summary>The largest chunk one call may carry.</summary>
    public const int MaxChunkBytes = 4 * 1024 * 1024;

    private string Name => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task BeginImport(BaseModelImport import)
    {
        ModelNames.Check("name", Name);
        if (state.State.Info is not null)
        {
            throw new ModelExistsException(Name, $"base model imported by {state.State.Info.ImportedBy}");
        }
        if (import.Files.Count == 0)
        {
            throw new InvalidRequestException("files", "an import needs at least config.json and the safetensors weights.");
        }
        foreach (var file in import.Files)
        {
            if (CheckpointFiles.Refusal(file.Name) is { } refusal)
            {
                throw new InvalidRequestException("files", refusal);
            }
            if (file.Bytes <= 0 || !file.Hash.StartsWith("0x", StringComparison.Ordinal) || file.Hash.Length != 66)
            {
                throw new InvalidRequestException("files", $"'{file.Name}' needs a positive size and its keccak256 as 0x-hex.");
            }
        }
        if (!import.Files.Any(f => f.Name == HfCheckpoint.ConfigFile))
        {
            throw new InvalidRequestException("files", "config.json is missing from the import.");
        }
        var previous = state.State.Pending;
        state.State.Pending = import;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Pending = previous;
            throw;
        }
    }

    /// <inheritdoc />
    public async Task UploadChunk(string file, long offset, byte[] data)
    {
        var pending = state.State.Pending ?? throw new ImportIncompleteException(Name, "no import was begun; call BeginImport first.");
        var announced = pending.Files.FirstOrDefault(f => f.Name == file)
            ?? throw new ImportIncompleteException(Name, $"'{file}' was not announced.");
        if (data.Length == 0 || data.Length > MaxChunkBytes || offset < 0 || offset + data.Length > announced.Bytes)
        {
            throw new ImportIncompleteException(Name, $"chunk of {data.Length} bytes at {offset} does not fit '{file}' of {announced.Bytes} bytes (chunks are 1 byte to 4 MiB).");
        }
        await artifacts.StageChunkAsync(StorageNames.ModelsContainer, BaseModelStore.BlobName(Name, file), offset, data);
    }

    /// <inheritdoc />
    public async Task<BaseModelInfo> CompleteImport()
    {
        if (state.State.Info is { } done)
        {
            // Completed already (the caller retried): make sure it is listed and answer as before.
            await GrainFactory.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).AddBaseModel(Name);
            return done;
        }
        var pending = state.State.Pending ?? throw new ImportIncompleteException(Name, "no import was begun; call BeginImport first.");
        var folder = Path.Combine(Path.GetTempPath(), "openledger-imports", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var file in pending.Files)
            {
                var blob = BaseModelStore.BlobName(Name, file.Name);
                var chunks = await artifacts.StagedChunksAsync(StorageNames.ModelsContainer, blob);
                if (chunks.Count > 0)
                {
                    long expected = 0;
                    foreach (var (offset, size) in chunks)
                    {
                        if (offset != expected)
                        {
                            throw new ImportIncompleteException(Name, $"'{file.Name}' has a gap or overlap at byte {expected}; re-send the chunk at that offset.");
                        }
                        expected += size;
                    }
                    if (expected != file.Bytes)
                    {
                        throw new ImportIncompleteException(Name, $"'{file.Name}' has {expected} of {file.Bytes} bytes; upload the rest.");
                    }
                    await artifacts.CommitChunksAsync(StorageNames.ModelsContainer, blob, chunks.Select(c => c.Offset));
                }
                else if (!await artifacts.ExistsAsync(StorageNames.ModelsContainer, blob))
                {
                    throw new ImportIncompleteException(Name, $"nothing of '{file.Name}' was uploaded.");
                }
                var local = Path.Combine(folder, file.Name);
                await artifacts.DownloadToFileAsync(StorageNames.ModelsContainer, blob, local);
                var arrived = new FileInfo(local).Length;
                var hash = await Keccak.HashFileHexAsync(local);
                if (arrived != file.Bytes || hash != file.Hash)
                {
                    throw new ImportIncompleteException(Name, $"'{file.Name}' arrived as {arrived} bytes with hash {hash}, announced {file.Bytes} bytes with {file.Hash}; upload it again.");
                }
            }

            var (parameters, tokenizer, configJson) = await Task.Run(() => Validate(folder));
            var info = new BaseModelInfo(
                Name,
                ModelHash(pending.Files),
                configJson,
                parameters,
                tokenizer,
                pending.Files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList(),
                pending.ImportedBy,
                clock.GetUtcNow(),
                pending.Description);
            var previous = state.State;
            state.State = new BaseModelState { Info = info };
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State = previous;
                throw;
            }
            await GrainFactory.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).AddBaseModel(Name);
            return info;
        }
        finally
        {
            // A validated folder becomes this silo's cached copy, so its first training job need not fetch it again.
            if (state.State.Info is { } imported && Directory.Exists(folder))
            {
                baseModels.Adopt(imported, folder);
            }
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <inheritdoc />
    public Task<BaseModelInfo> GetInfo() =>
        state.State.Info is { } info ? Task.FromResult(info) : throw new UnknownBaseModelException(Name);

    /// <summary>keccak256 over the files' names and hashes in name order: the identity of the checkpoint.</summary>
    public static string ModelHash(IEnumerable<ModelFile> files) =>
        Keccak.HashHex(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Name}:{f.Hash}"))));

    private static (long Parameters, string Tokenizer, string ConfigJson) Validate(string folder)
    {
        try
        {
            using var model = HfCheckpoint.Load(folder);
            var tokenizer = TextTokenizer.Load(folder, model.Config);
            return (model.ParameterCount, tokenizer.Kind, model.Config.ToJson());
        }
        catch (CheckpointException ex)
        {
            var file = ex.Location.StartsWith(folder, StringComparison.Ordinal) ? ex.Location[folder.Length..].TrimStart('/') : ex.Location;
            throw new InvalidCheckpointException(file.Length == 0 ? "checkpoint" : file, $"{ex.Problem}. Nothing was imported; fix the file and import again.");
        }
    }
}
