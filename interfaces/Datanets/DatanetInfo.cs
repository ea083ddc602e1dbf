namespace OpenLedger.Datanets;

/// <summary>A Datanet as it stands: its description, owner and contribution counts.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.DatanetInfo")]
public sealed record DatanetInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Owner,
    [property: Id(2)] DatanetSpec Spec,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] ContributionCounts Counts,
    [property: Id(5)] IReadOnlyList<SnapshotInfo> Snapshots);

/// <summary>How many contributions a Datanet holds in each status, and their bytes.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ContributionCounts")]
public sealed record ContributionCounts(
    [property: Id(0)] int Pending,
    [property: Id(1)] int Approved,
    [property: Id(2)] int Rejected,
    [property: Id(3)] long Bytes,
    [property: Id(4)] long Records)
{
    /// <summary>All contributions whatever their status.</summary>
    public int Total => Pending + Approved + Rejected;
}

/// <summary>A Datanet's line in the directory of all Datanets.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.DatanetSummary")]
public sealed record DatanetSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Domain,
    [property: Id(3)] string Owner,
    [property: Id(4)] DateTimeOffset CreatedAt);
