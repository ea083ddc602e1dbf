using OpenLedger.Datanets;

namespace OpenLedger.Grains.Datanets;

/// <summary>
/// A Datanet's own persisted state: its description and snapshots. Contributions live in the
/// <see cref="Storage.ContributionLedger"/>, one row each, so this state stays small however many there are.
/// </summary>
[GenerateSerializer, Alias("OpenLedger.Grains.DatanetState")]
public sealed class DatanetState
{
    /// <summary>The owner's address; null until the Datanet is created.</summary>
    [Id(0)] public string? Owner { get; set; }

    /// <summary>What the Datanet is and how it is curated.</summary>
    [Id(1)] public DatanetSpec? Spec { get; set; }

    /// <summary>When it was created.</summary>
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Snapshots in order; the manifests themselves are blobs.</summary>
    [Id(3)] public List<SnapshotInfo> Snapshots { get; set; } = new();
}
