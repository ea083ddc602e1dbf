namespace OpenLedger.Models;

/// <summary>The list of base models and published models (one grain, key <see cref="Key"/>).</summary>
[Alias("OpenLedger.IModelDirectoryGrain")]
public interface IModelDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The directory's one key.</summary>
    const string Key = "models";

    /// <summary>Records a base model name.</summary>
    [Alias("AddBaseModel")]
    Task AddBaseModel(string name);

    /// <summary>Records a published model id.</summary>
    [Alias("AddModel")]
    Task AddModel(string modelId);

    /// <summary>Base model names in import order.</summary>
    [Alias("ListBaseModels")]
    Task<IReadOnlyList<string>> ListBaseModels();

    /// <summary>Published model ids in publication order.</summary>
    [Alias("ListModels")]
    Task<IReadOnlyList<string>> ListModels();
}
