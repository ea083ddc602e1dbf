using OpenLedger.Grains.Storage;
using OpenLedger.Serving;

namespace OpenLedger.Grains.Serving;

/// <summary>Persisted list of deployed adapters.</summary>
[GenerateSerializer, Alias("OpenLedger.Grains.AdapterDirectoryState")]
public sealed class AdapterDirectoryState
{
    /// <summary>Adapter id to base model, in deployment order.</summary>
    [Id(0)] public List<(string AdapterId, string BaseModel)> Adapters { get; set; } = new();
}

/// <summary>The directory of deployed adapters.</summary>
public sealed class AdapterDirectoryGrain(
    [PersistentState("adapters", StorageNames.GrainState)] IPersistentState<AdapterDirectoryState> state)
    : Grain, IAdapterDirectoryGrain
{
    /// <inheritdoc />
    public async Task Add(string adapterId, string baseModel)
    {
        var index = state.State.Adapters.FindIndex(a => a.AdapterId == adapterId);
        if (index >= 0 && state.State.Adapters[index].BaseModel == baseModel)
        {
            return;
        }
        if (index >= 0)
        {
            state.State.Adapters[index] = (adapterId, baseModel);
        }
        else
        {
            state.State.Adapters.Add((adapterId, baseModel));
        }
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task Remove(string adapterId)
    {
        if (state.State.Adapters.RemoveAll(a => a.AdapterId == adapterId) > 0)
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<string?> BaseModelOf(string adapterId)
    {
        var index = state.State.Adapters.FindIndex(a => a.AdapterId == adapterId);
        return Task.FromResult<string?>(index >= 0 ? state.State.Adapters[index].BaseModel : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(string AdapterId, string BaseModel)>> List() =>
        Task.FromResult<IReadOnlyList<(string, string)>>(state.State.Adapters.ToList());
}
