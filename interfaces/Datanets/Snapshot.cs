namespace OpenLedger.Datanets;

/// <summary>An immutable set of approved contributions and the Merkle root that commits to it.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SnapshotInfo")]
public sealed record SnapshotInfo(
    [property: Id(0)] int Number,
    [property: Id(1)] string Root,
    [property: Id(2)] int ContributionCount,
    [property: Id(3)] long Bytes,
    [property: Id(4)] long Records,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] string ManifestUri);

/// <summary>
/// One member of a snapshot: the fields hashed into its Merkle leaf,
/// <c>keccak256(bytes.concat(keccak256(abi.encode(payloadHash, contributor, sizeBytes, recordCount))))</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SnapshotMember")]
public sealed record SnapshotMember(
    [property: Id(0)] string ContributionId,
    [property: Id(1)] string PayloadHash,
    [property: Id(2)] string Contributor,
    [property: Id(3)] long SizeBytes,
    [property: Id(4)] int RecordCount);

/// <summary>A snapshot with its members, in leaf order.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SnapshotManifest")]
public sealed record SnapshotManifest(
    [property: Id(0)] string DatanetId,
    [property: Id(1)] SnapshotInfo Info,
    [property: Id(2)] IReadOnlyList<SnapshotMember> Members);

/// <summary>A proof that one contribution belongs to a snapshot, checkable by OpenZeppelin's MerkleProof.verify.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.MembershipProof")]
public sealed record MembershipProof(
    [property: Id(0)] string Root,
    [property: Id(1)] string Leaf,
    [property: Id(2)] SnapshotMember Member,
    [property: Id(3)] IReadOnlyList<string> Proof);
