namespace OpenLedger.Economy;

/// <summary>How far a closed epoch has gone on its way to the chain. The stages only move forward.</summary>
[GenerateSerializer, Alias("OpenLedger.EpochStage")]
public enum EpochStage
{
    /// <summary>Sealed and its manifest written; nothing sent yet.</summary>
    Closed,

    /// <summary>The agents' debits are settled in the fee vault.</summary>
    Settled,

    /// <summary>The root is posted on the distributor (and the burn burned): contributors can claim.</summary>
    Posted,

    /// <summary>The batch of attribution records is anchored in the registry. Final.</summary>
    Anchored,
}

/// <summary>
/// A closed epoch: its Merkle root over every account's cumulative earnings, what it paid out and burned, what the
/// agents were debited, the manifest and attribution batch it was built from, and the transactions that put it on-chain.
/// Amounts are decimal wei strings; hashes are 0x hex.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.EpochSummary")]
public sealed record EpochSummary(
    [property: Id(0)] long EpochId,
    [property: Id(1)] EpochStage Stage,
    [property: Id(2)] string Root,
    [property: Id(3)] string TotalWei,
    [property: Id(4)] string BurnWei,
    [property: Id(5)] string DebitedWei,
    [property: Id(6)] string ManifestHash,
    [property: Id(7)] int Accounts,
    [property: Id(8)] int Agents,
    [property: Id(9)] int Inferences,
    [property: Id(10)] string AttributionRoot,
    [property: Id(11)] string ManifestBlob,
    [property: Id(12)] IReadOnlyDictionary<string, string> Transactions,
    [property: Id(13)] DateTimeOffset ClosedAt);

/// <summary>
/// What an account can claim as of the last posted epoch: its cumulative earnings and the Merkle proof of that leaf,
/// as <c>AttributionDistributor.claim(account, cumulativeAmount, proof)</c> takes them.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ClaimProof")]
public sealed record ClaimProof(
    [property: Id(0)] string Account,
    [property: Id(1)] string CumulativeWei,
    [property: Id(2)] IReadOnlyList<string> Proof,
    [property: Id(3)] long EpochId,
    [property: Id(4)] string Root);

/// <summary>
/// Where an attribution record sits in its epoch's anchored batch: the leaf (from the inference id and the record's
/// hash), its proof and the root anchored in the registry under the epoch.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AttributionInclusion")]
public sealed record AttributionInclusion(
    [property: Id(0)] string InferenceId,
    [property: Id(1)] long EpochId,
    [property: Id(2)] string RecordHash,
    [property: Id(3)] string Leaf,
    [property: Id(4)] IReadOnlyList<string> Proof,
    [property: Id(5)] string Root,
    [property: Id(6)] EpochStage Stage,
    [property: Id(7)] string? AnchorTransaction);
