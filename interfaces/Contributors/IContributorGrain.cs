namespace OpenLedger.Contributors;

/// <summary>A contributor, keyed by the lower-case 0x address of their Ethereum key.</summary>
[Alias("OpenLedger.IContributorGrain")]
public interface IContributorGrain : IGrainWithStringKey
{
    /// <summary>The contributor's profile, contributions and reputation.</summary>
    [Alias("GetProfile")]
    Task<ContributorProfile> GetProfile();

    /// <summary>Records an accepted contribution; called once by the Datanet that stored it.</summary>
    [Alias("RecordContribution")]
    Task RecordContribution(ContributionRef contribution);

    /// <summary>Records the final decision on one of this contributor's contributions; called once per contribution.</summary>
    [Alias("RecordDecision")]
    Task RecordDecision(ContributionRef contribution, bool approved);
}

/// <summary>Points at one contribution in one Datanet.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ContributionRef")]
public sealed record ContributionRef(
    [property: Id(0)] string DatanetId,
    [property: Id(1)] string ContributionId,
    [property: Id(2)] long SizeBytes,
    [property: Id(3)] DateTimeOffset At);

/// <summary>A contributor as the grid knows them.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ContributorProfile")]
public sealed record ContributorProfile(
    [property: Id(0)] string Address,
    [property: Id(1)] DateTimeOffset? FirstSeen,
    [property: Id(2)] DateTimeOffset? LastSeen,
    [property: Id(3)] Reputation Reputation,
    [property: Id(4)] IReadOnlyList<DatanetContributions> Datanets,
    [property: Id(5)] IReadOnlyList<ContributionRef> Recent);

/// <summary>What one contributor has given one Datanet.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.DatanetContributions")]
public sealed record DatanetContributions(
    [property: Id(0)] string DatanetId,
    [property: Id(1)] int Submitted,
    [property: Id(2)] int Accepted,
    [property: Id(3)] int Rejected,
    [property: Id(4)] long Bytes);

/// <summary>Counts that say how a contributor's work has fared with curators.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.Reputation")]
public sealed record Reputation(
    [property: Id(0)] int Submitted,
    [property: Id(1)] int Accepted,
    [property: Id(2)] int Rejected,
    [property: Id(3)] long Bytes);
