using System.Diagnostics.Metrics;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Diagnostics;

/// <summary>
/// Failed storage operations on the grid's meter, by store (grain state, each blob container, the contributions table)
/// and operation (read, write, delete). Stores are a fixed list, so a label can never carry a blob or row name.
/// </summary>
public static class StorageMetrics
{
    /// <summary>Orleans grain state (the Azure Table provider), whose failed reads, writes and clears Orleans reports.</summary>
    public const string GrainState = "grain_state";

    /// <summary>Anything outside the known stores.</summary>
    public const string Other = "other";

    /// <summary>The stores, as labelled.</summary>
    public static readonly IReadOnlyList<string> Stores =
    [
        GrainState, StorageNames.ContributionsTable, StorageNames.PayloadsContainer, StorageNames.SnapshotsContainer,
        StorageNames.ModelsContainer, StorageNames.TrainingContainer, StorageNames.AttributionContainer, StorageNames.EconomyContainer,
    ];

    /// <summary>The operations, as labelled.</summary>
    public static readonly IReadOnlyList<string> Operations = ["read", "write", "delete"];

    private static readonly Meter _meter = new(GridMetrics.MeterName, "1.0");

    /// <summary>Storage operations that failed, by store and operation.</summary>
    public static readonly Counter<long> Errors =
        _meter.CreateCounter<long>("openledger.storage.errors", "{operation}", "Storage operations that failed, by store and operation.");

    /// <summary>Counts <paramref name="count"/> failed <paramref name="operation"/>s on <paramref name="store"/> (unknown stores count as "other").</summary>
    public static void Failed(string store, string operation, long count = 1) =>
        Errors.Add(count, new KeyValuePair<string, object?>("store", Stores.Contains(store) ? store : Other), new KeyValuePair<string, object?>("operation", operation));

    /// <summary>Publishes every store and operation at zero.</summary>
    public static void Prime()
    {
        foreach (var store in Stores)
        {
            foreach (var operation in Operations)
            {
                Errors.Add(0, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("operation", operation));
            }
        }
    }
}
