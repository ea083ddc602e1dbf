using Orleans.Concurrency;

namespace OpenLedger.Datanets;

/// <summary>A Datanet, keyed by its id (lower-case letters, digits and dashes).</summary>
[Alias("OpenLedger.IDatanetGrain")]
public interface IDatanetGrain : IGrainWithStringKey
{
    /// <summary>Creates the Datanet. Fails with <see cref="Errors.DatanetAlreadyExistsException"/> if it exists.</summary>
    [Alias("Create")]
    Task<DatanetInfo> Create(string owner, DatanetSpec spec);

    /// <summary>The Datanet's description, counts and snapshots.</summary>
    [Alias("GetInfo")]
    Task<DatanetInfo> GetInfo();

    /// <summary>
    /// Verifies the signature, validates every record, stores the payload under its keccak256 hash and persists the
    /// contribution record before answering.
    /// </summary>
    [Alias("Contribute"), AlwaysInterleave]
    Task<ContributionReceipt> Contribute(SignedContribution contribution);

    /// <summary>Approves or rejects a pending contribution; only a curator may.</summary>
    [Alias("Curate")]
    Task<ContributionRecord> Curate(CurationDecision decision);

    /// <summary>Contributions in submission order, optionally only those in <paramref name="status"/>.</summary>
    [Alias("ListContributions")]
    Task<IReadOnlyList<ContributionRecord>> ListContributions(ContributionStatus? status = null);

    /// <summary>
    /// Freezes the approved contributions into a snapshot. If nothing was approved since the last snapshot, that
    /// snapshot is returned rather than a copy of it.
    /// </summary>
    [Alias("Snapshot")]
    Task<SnapshotInfo> Snapshot();

    /// <summary>A snapshot with its members.</summary>
    [Alias("GetSnapshot")]
    Task<SnapshotManifest> GetSnapshot(int number);

    /// <summary>The Merkle proof that a contribution is in a snapshot.</summary>
    [Alias("GetMembershipProof")]
    Task<MembershipProof> GetMembershipProof(int snapshot, string contributionId);
}
