namespace OpenLedger.Datanets;

/// <summary>
/// A contribution as the contributor sends it: the payload, the licence it is offered under, a fresh nonce and an
/// EIP-191 signature over <c>ContributionDigest(datanetId, keccak256(payload), licence, nonce)</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SignedContribution")]
public sealed record SignedContribution(
    [property: Id(0)] string Contributor,
    [property: Id(1)] byte[] Payload,
    [property: Id(2)] string Licence,
    [property: Id(3)] string Nonce,
    [property: Id(4)] string Signature);

/// <summary>Where a contribution stands in curation.</summary>
[GenerateSerializer, Alias("OpenLedger.ContributionStatus")]
public enum ContributionStatus
{
    /// <summary>Accepted and stored; waiting for a curator.</summary>
    Pending = 0,

    /// <summary>Approved: it will be part of the next snapshot.</summary>
    Approved = 1,

    /// <summary>Rejected by a curator, with a reason. The payload is kept for the record.</summary>
    Rejected = 2,
}

/// <summary>The persisted record of one contribution: who sent what, when, and what became of it.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ContributionRecord")]
public sealed record ContributionRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string DatanetId,
    [property: Id(2)] long Sequence,
    [property: Id(3)] string Contributor,
    [property: Id(4)] string PayloadHash,
    [property: Id(5)] long SizeBytes,
    [property: Id(6)] int RecordCount,
    [property: Id(7)] string Licence,
    [property: Id(8)] string Nonce,
    [property: Id(9)] string Signature,
    [property: Id(10)] DateTimeOffset SubmittedAt,
    [property: Id(11)] ContributionStatus Status,
    [property: Id(12)] string? DecidedBy = null,
    [property: Id(13)] string? Reason = null,
    [property: Id(14)] DateTimeOffset? DecidedAt = null);

/// <summary>What the contributor gets back once the contribution is durably stored.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ContributionReceipt")]
public sealed record ContributionReceipt(
    [property: Id(0)] ContributionRecord Record,
    [property: Id(1)] string PayloadUri);

/// <summary>
/// A curator's signed decision on one contribution. The curator signs (EIP-191)
/// <c>CurationDigest(datanetId, contributionId, approve, reason)</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.CurationDecision")]
public sealed record CurationDecision(
    [property: Id(0)] string ContributionId,
    [property: Id(1)] string Curator,
    [property: Id(2)] bool Approve,
    [property: Id(3)] string Reason,
    [property: Id(4)] string Signature);
