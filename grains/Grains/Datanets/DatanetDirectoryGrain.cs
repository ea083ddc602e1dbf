using OpenLedger.Datanets;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Datanets;

/// <summary>Persisted list of every Datanet, for `datanet list`.</summary>
[GenerateSerializer, Alias("OpenLedger.Grains.DatanetDirectoryState")]
public sealed class DatanetDirectoryState
{
    /// <summary>Datanets in creation order.</summary>
    [Id(0)] public List<DatanetSummary> Datanets { get; set; } = new();
}

/// <summary>The directory of all Datanets.</summary>
public sealed class DatanetDirectoryGrain(
    [PersistentState("directory", StorageNames.GrainState)] IPersistentState<DatanetDirectoryState> state)
    : Grain, IDatanetDirectoryGrain
{
    /// <inheritdoc />
    public async Task Register(DatanetSummary summary)
    {
        if (state.State.Datanets.Any(d => d.Id == summary.Id))
        {
            return;
        }
        state.State.Datanets.Add(summary);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DatanetSummary>> List() =>
        Task.FromResult<IReadOnlyList<DatanetSummary>>(state.State.Datanets.ToList());
}
