using OpenLedger.Grains.Storage;
using OpenLedger.Models;

namespace OpenLedger.Grains.Models;

/// <summary>Persisted names of base models and published models.</summary>
[GenerateSerializer, Alias("OpenLedger.Grains.ModelDirectoryState")]
public sealed class ModelDirectoryState
{
    /// <summary>Base model names in import order.</summary>
    [Id(0)] public List<string> BaseModels { get; set; } = new();

    /// <summary>Model ids in publication order.</summary>
    [Id(1)] public List<string> Models { get; set; } = new();
}

/// <summary>The directory of base models and published models.</summary>
public sealed class ModelDirectoryGrain(
    [PersistentState("models", StorageNames.GrainState)] IPersistentState<ModelDirectoryState> state)
    : Grain, IModelDirectoryGrain
{
    /// <inheritdoc />
    public Task AddBaseModel(string name) => Add(state.State.BaseModels, name);

    /// <inheritdoc />
    public Task AddModel(string modelId) => Add(state.State.Models, modelId);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListBaseModels() => Task.FromResult<IReadOnlyList<string>>(state.State.BaseModels.ToList());

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListModels() => Task.FromResult<IReadOnlyList<string>>(state.State.Models.ToList());

    private async Task Add(List<string> list, string name)
    {
        if (!list.Contains(name))
        {
            list.Add(name);
            await state.WriteStateAsync();
        }
    }
}
