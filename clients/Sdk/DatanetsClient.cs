using OpenLedger.Datanets;

namespace OpenLedger.Client;

/// <summary>Datanet operations, with signing done on the caller's side so keys never leave it.</summary>
public sealed class DatanetsClient(IClusterClient cluster)
{
    /// <summary>Creates a Datanet owned by <paramref name="owner"/>.</summary>
    public Task<DatanetInfo> CreateAsync(string datanetId, string owner, DatanetSpec spec) =>
        Grain(datanetId).Create(owner, spec);

    /// <summary>All Datanets.</summary>
    public Task<IReadOnlyList<DatanetSummary>> ListAsync() => cluster.GetGrain<IDatanetDirectoryGrain>(0).List();

    /// <summary>One Datanet's description, counts and snapshots.</summary>
    public Task<DatanetInfo> GetAsync(string datanetId) => Grain(datanetId).GetInfo();

    /// <summary>Signs and sends a contribution under the Datanet's licence (looked up when not given).</summary>
    public async Task<ContributionReceipt> ContributeAsync(ContributorKey key, string datanetId, byte[] payload, string? licence = null)
    {
        licence ??= (await GetAsync(datanetId)).Spec.Licence;
        return await Grain(datanetId).Contribute(key.SignContribution(datanetId, payload, licence));
    }

    /// <summary>Signs and sends a curator's decision.</summary>
    public Task<ContributionRecord> CurateAsync(ContributorKey curator, string datanetId, string contributionId, bool approve, string reason) =>
        Grain(datanetId).Curate(curator.SignCuration(datanetId, contributionId, approve, reason));

    /// <summary>Contributions, optionally only those in one status.</summary>
    public Task<IReadOnlyList<ContributionRecord>> ListContributionsAsync(string datanetId, ContributionStatus? status = null) =>
        Grain(datanetId).ListContributions(status);

    /// <summary>
    /// The full id of the one contribution whose id starts with <paramref name="prefix"/> (ids are payload hashes, so a
    /// few hex digits usually suffice).
    /// </summary>
    public async Task<string> ResolveContributionIdAsync(string datanetId, string prefix)
    {
        var normalized = prefix.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? prefix.ToLowerInvariant() : "0x" + prefix.ToLowerInvariant();
        var matches = (await ListContributionsAsync(datanetId)).Where(c => c.Id.StartsWith(normalized, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new Errors.UnknownContributionException(prefix, datanetId),
            _ => throw new Errors.InvalidRequestException("contribution", $"'{prefix}' matches {matches.Count} contributions; give more digits"),
        };
    }

    /// <summary>Freezes the approved contributions into a snapshot.</summary>
    public Task<SnapshotInfo> SnapshotAsync(string datanetId) => Grain(datanetId).Snapshot();

    /// <summary>A snapshot with its members.</summary>
    public Task<SnapshotManifest> GetSnapshotAsync(string datanetId, int number) => Grain(datanetId).GetSnapshot(number);

    /// <summary>The Merkle proof of one contribution in one snapshot.</summary>
    public Task<MembershipProof> GetProofAsync(string datanetId, int snapshot, string contributionId) =>
        Grain(datanetId).GetMembershipProof(snapshot, contributionId);

    private IDatanetGrain Grain(string datanetId) => cluster.GetGrain<IDatanetGrain>(datanetId);
}
