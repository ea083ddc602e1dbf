namespace OpenLedger.Datanets;

/// <summary>The list of all Datanets (a single grain with key 0).</summary>
[Alias("OpenLedger.IDatanetDirectoryGrain")]
public interface IDatanetDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a Datanet; called by the Datanet when it is created. Idempotent.</summary>
    [Alias("Register")]
    Task Register(DatanetSummary summary);

    /// <summary>All Datanets in creation order.</summary>
    [Alias("List")]
    Task<IReadOnlyList<DatanetSummary>> List();
}
