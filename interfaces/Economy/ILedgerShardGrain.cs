namespace OpenLedger.Economy;

/// <summary>
/// One shard of the fee ledger (key: the shard number). Inferences land on a shard by their id, so accruals spread
/// over many grains and no single grain is hot; the settlement grain seals every shard when it closes an epoch.
/// </summary>
[Alias("OpenLedger.ILedgerShardGrain")]
public interface ILedgerShardGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Adds the charge to the open epoch and returns that epoch's id. Idempotent: charging the same inference again
    /// changes nothing and returns the epoch it landed in the first time.
    /// </summary>
    [Alias("Charge")]
    Task<long> Charge(InferenceCharge charge);

    /// <summary>
    /// Charges an inference whose earlier charge may have landed but was never confirmed to its caller (a silo or
    /// storage lost mid-way). Like <see cref="Charge"/>, but first looks for it in the epochs this shard has already
    /// released, in their anchored attribution batches, so a retry after its epoch went on-chain returns that epoch
    /// instead of charging the agent a second time.
    /// </summary>
    [Alias("ChargeAgain")]
    Task<long> ChargeAgain(InferenceCharge charge);

    /// <summary>
    /// Seals epoch <paramref name="epochId"/> (the shard's open epoch, or one sealed before: sealing is idempotent)
    /// and returns its totals; later charges land in the next epoch.
    /// </summary>
    [Alias("Seal")]
    Task<SealedShard> Seal(long epochId);

    /// <summary>Forgets a sealed epoch once it is posted on-chain.</summary>
    [Alias("Release")]
    Task Release(long epochId);

    /// <summary>What <paramref name="account"/> has accrued here in epochs not yet posted, in wei.</summary>
    [Alias("Unposted")]
    Task<string> Unposted(string account);
}
