using OpenLedger.Datanets;
using OpenLedger.Datanets.Signing;
using OpenLedger.Errors;
using OpenLedger.Grains.Storage;
using OpenLedger.Models;

namespace OpenLedger.Grains.Models;

/// <summary>Persisted model: who reserved the id, and once trained, its provenance and price.</summary>
[GenerateSerializer, Alias("OpenLedger.Grains.ModelState")]
public sealed class ModelState
{
    /// <summary>The job that reserved the id.</summary>
    [Id(0)] public string? JobId { get; set; }

    /// <summary>The owner named by the reserving job.</summary>
    [Id(1)] public string? Owner { get; set; }

    /// <summary>Set when the job publishes.</summary>
    [Id(2)] public ModelInfo? Info { get; set; }

    /// <summary>Price nonces the owner has used, so a signed price cannot be replayed.</summary>
    [Id(3)] public HashSet<string> UsedNonces { get; set; } = new();
}

/// <summary>A fine-tuned model: reserved by its training job, published with provenance, priced by its owner.</summary>
public sealed class ModelGrain(
    [PersistentState("model", StorageNames.GrainState)] IPersistentState<ModelState> state,
    TimeProvider clock)
    : Grain, IModelGrain, IModelRegistration
{
    private string ModelId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task Reserve(string jobId, string owner)
    {
        ModelNames.Check("model", ModelId);
        if (state.State.JobId is { } holder && holder != jobId)
        {
            // A job that failed or was cancelled gives its id up; one that is running or published keeps it.
            var held = state.State.Info is null
                ? (await GrainFactory.GetGrain<ITrainingJobGrain>(holder).GetStatus()).State
                : TrainingState.Completed;
            if (held is not (TrainingState.Failed or TrainingState.Cancelled))
            {
                throw new ModelExistsException(ModelId, $"reserved by training job {holder}");
            }
        }
        if (state.State.JobId != jobId)
        {
            var (previousJob, previousOwner) = (state.State.JobId, state.State.Owner);
            state.State.JobId = jobId;
            state.State.Owner = owner;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                (state.State.JobId, state.State.Owner) = (previousJob, previousOwner);
                throw;
            }
        }
    }

    /// <inheritdoc />
    public async Task<ModelInfo> Publish(ModelPublication publication)
    {
        if (state.State.JobId != publication.JobId)
        {
            throw new ModelExistsException(ModelId, $"reserved by training job {state.State.JobId ?? "none"}");
        }
        if (state.State.Info is { } existing)
        {
            // A job retried after publishing: the first publication stands (and is listed, if listing failed before).
            await GrainFactory.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).AddModel(ModelId);
            return existing;
        }
        var info = new ModelInfo(ModelId, publication, "0", clock.GetUtcNow(), null);
        state.State.Info = info;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Info = null;
            throw;
        }
        await GrainFactory.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).AddModel(ModelId);
        return info;
    }

    /// <inheritdoc />
    public Task<ModelInfo> GetInfo() =>
        state.State.Info is { } info ? Task.FromResult(info) : throw new UnknownModelException(ModelId);

    /// <inheritdoc />
    public async Task<ModelInfo> SetPrice(SignedPrice price)
    {
        var info = state.State.Info ?? throw new UnknownModelException(ModelId);
        if (!SignedDigests.TryParseNonce(price.PricePerThousandTokensWei, out var wei))
        {
            throw new InvalidRequestException("price", $"'{price.PricePerThousandTokensWei}' is not a whole number of wei (a decimal integer below 2^256).");
        }
        if (!SignedDigests.TryParseNonce(price.Nonce, out var nonce))
        {
            throw new InvalidRequestException("nonce", $"'{price.Nonce}' is not a decimal integer below 2^256.");
        }
        var owner = info.Publication.Owner;
        var signer = PersonalSignature.RecoverSigner(SignedDigests.Price(ModelId, wei, nonce), price.Signature);
        if (signer is null)
        {
            throw new InvalidSignatureException(owner, null, "price");
        }
        if (signer != owner)
        {
            throw new NotModelOwnerException(signer, ModelId);
        }
        if (!state.State.UsedNonces.Add(price.Nonce))
        {
            throw new NonceReplayedException(owner, price.Nonce);
        }
        var updated = info with { PricePerThousandTokensWei = wei.ToString(System.Globalization.CultureInfo.InvariantCulture), PriceSetAt = clock.GetUtcNow() };
        state.State.Info = updated;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Info = info;
            state.State.UsedNonces.Remove(price.Nonce);
            throw;
        }
        return updated;
    }
}
