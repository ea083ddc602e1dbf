namespace OpenLedger.Serving;

/// <summary>The deployed adapters (one grain, key <see cref="Key"/>), so listings need not scan storage.</summary>
[Alias("OpenLedger.IAdapterDirectoryGrain")]
public interface IAdapterDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The directory's one key.</summary>
    const string Key = "adapters";

    /// <summary>Records a deployed adapter and its base model.</summary>
    [Alias("Add")]
    Task Add(string adapterId, string baseModel);

    /// <summary>Forgets an undeployed adapter.</summary>
    [Alias("Remove")]
    Task Remove(string adapterId);

    /// <summary>The base model <paramref name="adapterId"/> is deployed on, or null when it is not deployed.</summary>
    [Alias("BaseModelOf")]
    Task<string?> BaseModelOf(string adapterId);

    /// <summary>Deployed adapters and their base models, in deployment order.</summary>
    [Alias("List")]
    Task<IReadOnlyList<(string AdapterId, string BaseModel)>> List();
}
