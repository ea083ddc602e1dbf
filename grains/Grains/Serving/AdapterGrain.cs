using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OpenLedger.Attribution;
using OpenLedger.Cluster;
using OpenLedger.Errors;
using OpenLedger.Grains.Attribution;
using OpenLedger.Grains.Hosting;
using OpenLedger.Grains.Storage;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using OpenLedger.Models;
using OpenLedger.Serving;
using Orleans.Concurrency;
using UnknownAdapterException = OpenLedger.Errors.UnknownAdapterException;

namespace OpenLedger.Grains.Serving;

/// <summary>
/// One deployed adapter. Its activation is placed by <see cref="AdapterPlacement"/> and registers the weights (from
/// Redis or Blob) with this silo's engine for its base model; deactivation unregisters them. Reentrant, so that many
/// concurrent streams on one adapter share the engine's batches instead of queueing behind each other.
/// </summary>
[HostedBy(GridRole.Serving)]
[AdapterPlacement]
[Reentrant]
public sealed class AdapterGrain(
    [PersistentState("adapter", StorageNames.GrainState)] IPersistentState<AdapterState> state,
    SiloServing serving,
    AdapterWeightsStore weights,
    AttributionQueue attribution,
    ILocalSiloDetails silo,
    ILogger<AdapterGrain> logger) : Grain, IAdapterGrain
{
    private const string ModelSourcePrefix = "model:";

    private readonly SemaphoreSlim _loading = new(1, 1);
    private ServingEngine? _engine;
    private long _requests;
    private long _tokens;

    private string AdapterId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists)
        {
            try
            {
                await EnsureLoadedAsync();
            }
            catch (Exception ex)
            {
                // Serving requests will try again and report the problem to the caller.
                logger.LogWarning(ex, "Adapter {Adapter} could not be loaded on activation", AdapterId);
            }
        }
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _engine?.Unregister(AdapterId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<AdapterInfo> Deploy(AdapterDeployment deployment)
    {
        var baseInfo = await GrainFactory.GetGrain<IBaseModelGrain>(deployment.BaseModel).GetInfo();
        var deployedAt = DateTimeOffset.UtcNow;
        var version = deployedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (prefix, source, adapter) = await ResolveAsync(deployment, version);
        ServingEngine engine;
        await _loading.WaitAsync();
        try
        {
            // Checked against the base model and this silo's pool before anything is stored or recorded.
            engine = await serving.EngineAsync(baseInfo);
            try
            {
                engine.Check(AdapterId, adapter);
            }
            catch (Exception ex) when (EngineStreams.Translate(ex) is { } typed)
            {
                throw typed;
            }
            if (source == "upload")
            {
                await weights.PutAsync(prefix, adapter);
            }
            state.State = new AdapterState
            {
                BaseModel = deployment.BaseModel,
                Source = source,
                BlobPrefix = prefix,
                Rank = adapter.Settings.Rank,
                Pinned = deployment.Pinned,
                DeployedAt = deployedAt,
            };
            await state.WriteStateAsync();
            // Only once the deployment is recorded does the engine serve it.
            if (_engine is not null && !ReferenceEquals(_engine, engine))
            {
                _engine.Unregister(AdapterId);
            }
            engine.Register(AdapterId, adapter);
            _engine = engine;
        }
        finally
        {
            _loading.Release();
        }
        await GrainFactory.GetGrain<IAdapterDirectoryGrain>(IAdapterDirectoryGrain.Key).Add(AdapterId, deployment.BaseModel);
        if (deployment.Pinned)
        {
            await engine.PreloadAsync(AdapterId, pin: true);
        }
        return Info();
    }

    /// <inheritdoc />
    public Task<AdapterInfo> GetInfo()
    {
        EnsureDeployed();
        return Task.FromResult(Info());
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CompletionChunk> Generate(CompletionRequest request, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        EnsureDeployed();
        var engine = await EnsureLoadedAsync();
        Interlocked.Increment(ref _requests);
        var chunks = EngineStreams.GenerateAsync(engine, AdapterId, request, cancellation);
        await foreach (var chunk in attribution.RecordAsync(chunks, request, AdapterId, ModelId ?? "", state.State.BaseModel, cancellation))
        {
            if (chunk.FinishReason is not null)
            {
                Interlocked.Add(ref _tokens, chunk.CompletionTokens);
            }
            yield return chunk;
        }
    }

    // The published model an adapter was deployed from; uploaded files have none.
    private string? ModelId => state.State.Source.StartsWith(ModelSourcePrefix, StringComparison.Ordinal) ? state.State.Source[ModelSourcePrefix.Length..] : null;

    /// <inheritdoc />
    public async Task<AdapterInfo> SetPinned(bool pinned)
    {
        EnsureDeployed();
        var engine = await EnsureLoadedAsync();
        if (pinned && !await engine.PreloadAsync(AdapterId, pin: true))
        {
            throw new InvalidAdapterException(AdapterId, "every byte of its device's adapter pool is in use by running requests or pinned adapters; try again shortly or unpin another adapter.");
        }
        if (!pinned)
        {
            await engine.EvictAsync(AdapterId);     // unpinning hands its bytes back; it reloads on its next request
        }
        state.State.Pinned = pinned;
        await state.WriteStateAsync();
        return Info();
    }

    /// <inheritdoc />
    public async Task<AdapterInfo> Evict()
    {
        EnsureDeployed();
        if (_engine is not null)
        {
            await _engine.EvictAsync(AdapterId);
        }
        return Info();
    }

    /// <inheritdoc />
    public async Task Undeploy()
    {
        EnsureDeployed();
        _engine?.Unregister(AdapterId);
        _engine = null;
        await state.ClearStateAsync();
        await GrainFactory.GetGrain<IAdapterDirectoryGrain>(IAdapterDirectoryGrain.Key).Remove(AdapterId);
        DeactivateOnIdle();
    }

    private void EnsureDeployed()
    {
        if (!state.RecordExists)
        {
            throw new UnknownAdapterException(AdapterId);
        }
    }

    // Registers the weights with this silo's engine unless they already are (an engine restart forgets them).
    private async Task<ServingEngine> EnsureLoadedAsync()
    {
        if (_engine is { } current && current.IsRegistered(AdapterId))
        {
            return current;
        }
        await _loading.WaitAsync();
        try
        {
            if (_engine is { } again && again.IsRegistered(AdapterId))
            {
                return again;
            }
            var baseInfo = await GrainFactory.GetGrain<IBaseModelGrain>(state.State.BaseModel).GetInfo();
            var engine = await serving.EngineAsync(baseInfo);
            var (adapter, _) = await weights.LoadAsync(state.State.BlobPrefix, state.State.DeployedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            engine.Register(AdapterId, adapter);
            if (state.State.Pinned)
            {
                await engine.PreloadAsync(AdapterId, pin: true);
            }
            _engine = engine;
            return engine;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<(string Prefix, string Source, PeftAdapter Adapter)> ResolveAsync(AdapterDeployment deployment, string version)
    {
        var fromModel = deployment.ModelId is not null;
        var fromFiles = deployment.AdapterConfigJson is not null || deployment.AdapterWeights is not null;
        if (fromModel == fromFiles)
        {
            throw new InvalidAdapterException(AdapterId, "name either a published model (--model) or PEFT files (--folder), not both or neither.");
        }
        if (fromModel)
        {
            var info = await GrainFactory.GetGrain<IModelGrain>(deployment.ModelId!).GetInfo();
            if (info.Publication.BaseModel != deployment.BaseModel)
            {
                throw new InvalidAdapterException(AdapterId, $"model '{deployment.ModelId}' was trained on base model '{info.Publication.BaseModel}', not '{deployment.BaseModel}'.");
            }
            var prefix = AdapterWeightsStore.PublishedPrefix(deployment.ModelId!);
            var (adapter, _) = await weights.LoadAsync(prefix, info.Publication.AdapterHash);
            return (prefix, ModelSourcePrefix + deployment.ModelId, adapter);
        }
        if (deployment.AdapterConfigJson is null || deployment.AdapterWeights is null)
        {
            throw new InvalidAdapterException(AdapterId, $"both {PeftAdapter.ConfigFile} and {PeftAdapter.WeightsFile} are needed.");
        }
        try
        {
            return (AdapterWeightsStore.UploadPrefix(AdapterId, version), "upload", PeftAdapter.Parse(deployment.AdapterConfigJson, deployment.AdapterWeights, AdapterId));
        }
        catch (Exception ex) when (ex is CheckpointException or ArgumentException or System.Text.Json.JsonException)
        {
            throw new InvalidAdapterException(AdapterId, ex.Message);
        }
    }

    private AdapterInfo Info()
    {
        var stats = _engine?.Stats;
        var residency = stats is null || !_engine!.IsRegistered(AdapterId) ? AdapterResidency.Storage
            : stats.Resident.Contains(AdapterId) ? AdapterResidency.Device
            : AdapterResidency.Host;
        var deviceBytes = _engine?.DeviceBytesOf(AdapterId) ?? 0;
        return new AdapterInfo(AdapterId, state.State.BaseModel, state.State.Source, state.State.Rank, deviceBytes, state.State.Pinned,
            residency, residency == AdapterResidency.Storage ? null : silo.SiloAddress.ToParsableString(),
            Interlocked.Read(ref _requests), Interlocked.Read(ref _tokens), state.State.DeployedAt);
    }
}
