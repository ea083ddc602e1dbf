using OpenLedger.Errors;
using OpenLedger.Models;
using OpenLedger.Serving;

namespace OpenLedger.Grains.Serving;

/// <summary>
/// Resolves the <c>model</c> of a request to the grain that serves it: a deployed adapter (its grain, placed with its
/// base model as a hint) or a base model (this silo's own engine). The HTTP API and the agent gateway both ask it.
/// </summary>
public sealed class ModelRoutes(IGrainFactory grains)
{
    /// <summary>The completion stream for <paramref name="model"/>.</summary>
    public async Task<IAsyncEnumerable<CompletionChunk>> StreamAsync(string model, CompletionRequest request, CancellationToken cancellation)
    {
        if (await grains.GetGrain<IAdapterDirectoryGrain>(IAdapterDirectoryGrain.Key).BaseModelOf(model) is { } baseModel)
        {
            return Hinted(grains.GetGrain<IAdapterGrain>(model), baseModel, request, cancellation);
        }
        var bases = await grains.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).ListBaseModels();
        if (bases.Contains(model))
        {
            return grains.GetGrain<IBaseModelServingGrain>(model).Generate(request, cancellation);
        }
        throw new UnknownAdapterException(model);
    }

    /// <summary>Every servable model: deployed adapters with their residency and price, then base models.</summary>
    public async Task<IReadOnlyList<ServedModel>> ListAsync()
    {
        var adapters = await grains.GetGrain<IAdapterDirectoryGrain>(IAdapterDirectoryGrain.Key).List();
        var infos = (await Task.WhenAll(adapters.Select(a => InfoOrNullAsync(a.AdapterId, a.BaseModel)))).OfType<AdapterInfo>().ToList();
        var prices = await Task.WhenAll(infos.Select(PriceOrNullAsync));
        var bases = await grains.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).ListBaseModels();
        var list = new List<ServedModel>();
        list.AddRange(infos.Select((i, n) => new ServedModel(i.AdapterId, i.DeployedAt, i.BaseModel, i.Residency, i.Silo, i.Rank, i.DeviceBytes, i.Pinned, prices[n])));
        list.AddRange(bases.Select(b => new ServedModel(b, DateTimeOffset.UnixEpoch, null, null, null, 0, 0, false, null)));
        return list;
    }

    // Adapters published from a trained model are charged at the model's price; others (uploaded weights) are free.
    private async Task<string?> PriceOrNullAsync(AdapterInfo adapter)
    {
        const string modelSource = "model:";
        if (!adapter.Source.StartsWith(modelSource, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return (await grains.GetGrain<IModelGrain>(adapter.Source[modelSource.Length..]).GetInfo()).PricePerThousandTokensWei;
        }
        catch (OpenLedgerException)
        {
            return null;
        }
    }

    // The grain call goes out when the stream is first read, so the placement hint is set there, in the same flow.
    private static async IAsyncEnumerable<CompletionChunk> Hinted(IAdapterGrain adapter, string baseModel, CompletionRequest request,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        RequestContext.Set(AdapterPlacement.BaseModelKey, baseModel);
        await foreach (var chunk in adapter.Generate(request, cancellation))
        {
            yield return chunk;
        }
    }

    // An adapter being undeployed while the list is read is left out rather than failing the whole listing.
    private async Task<AdapterInfo?> InfoOrNullAsync(string adapterId, string baseModel)
    {
        RequestContext.Set(AdapterPlacement.BaseModelKey, baseModel);
        try
        {
            return await grains.GetGrain<IAdapterGrain>(adapterId).GetInfo();
        }
        catch (UnknownAdapterException)
        {
            return null;
        }
    }
}
