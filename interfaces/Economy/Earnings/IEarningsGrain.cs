namespace OpenLedger.Economy;

/// <summary>
/// The analysts' earnings read model (key: <see cref="Key"/>), kept up to date from the grid's own events: every
/// inference charged, every epoch posted on-chain and every claim seen on the distributor. Queries answer from totals
/// kept as events arrive, never by scanning grains or accruals; amounts are decimal strings of integer wei and agree
/// with the ledger to the wei. The table pages feed Arrow Flight and file exports.
/// </summary>
[Alias("OpenLedger.IEarningsGrain")]
public interface IEarningsGrain : IGrainWithStringKey
{
    /// <summary>The grain's key.</summary>
    const string Key = "earnings";

    /// <summary>The most rows one table page or inference page returns.</summary>
    const int MaxPageRows = 50_000;

    /// <summary>An account's earnings over all epochs: accrued, posted on-chain, claimed, and claimable now.</summary>
    [Alias("Account")]
    Task<AccountEarningsView> Account(string account);

    /// <summary>An account's earnings per epoch, oldest first: its earnings over time.</summary>
    [Alias("History")]
    Task<IReadOnlyList<AccountEpochView>> History(string account);

    /// <summary>The inferences behind an account's earnings in one epoch, newest last, one page of them.</summary>
    [Alias("Behind")]
    Task<EarningsInferencePage> Behind(string account, long epoch, int offset, int limit);

    /// <summary>The wei earned (Datanet) or paid (model, adapter, agent) under one key, over all epochs or one.</summary>
    [Alias("Totals")]
    Task<EarningsTotalView> Totals(EarningsGrouping grouping, string key, long? epoch);

    /// <summary>The same totals per epoch, oldest first: a Datanet's (or model's, adapter's, agent's) earnings over time.</summary>
    [Alias("Series")]
    Task<IReadOnlyList<EarningsTotalView>> Series(EarningsGrouping grouping, string key);

    /// <summary>Every epoch that has charged an inference or been posted, oldest first.</summary>
    [Alias("Epochs")]
    Task<IReadOnlyList<EpochEarningsView>> Epochs();

    /// <summary>A Datanet's top contributors by wei earned in it, highest first (ties by address).</summary>
    [Alias("TopContributors")]
    Task<IReadOnlyList<TopContributorView>> TopContributors(string datanetId, int count);

    /// <summary>How much the read model holds, and how far it has read the chain.</summary>
    [Alias("Status")]
    Task<EarningsStatusView> Status();

    /// <summary>
    /// One page of the accruals table (one row per inference and recipient), in the order charges arrived: a reader
    /// that pages on from <c>offset + rows</c> sees every row once, and rows charged later only extend the table.
    /// </summary>
    [Alias("AccrualRows")]
    Task<IReadOnlyList<AccrualRow>> AccrualRows(long offset, int limit);

    /// <summary>One page of the accounts table (one row per account), ordered by address.</summary>
    [Alias("AccountRows")]
    Task<IReadOnlyList<AccountEarningsView>> AccountRows(int offset, int limit);
}
