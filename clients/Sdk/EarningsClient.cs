using System.Runtime.CompilerServices;
using OpenLedger.Economy;

namespace OpenLedger.Client;

/// <summary>
/// The analysts' earnings read model from a client: an account's earnings and their history with the inferences behind
/// them, totals and series per Datanet, model, adapter and agent, epochs, top contributors, and the accruals table.
/// Amounts are decimal strings of integer wei, exactly as the ledger holds them.
/// </summary>
public sealed class EarningsClient(IClusterClient cluster)
{
    private IEarningsGrain Earnings => cluster.GetGrain<IEarningsGrain>(IEarningsGrain.Key);

    /// <summary>An account's accrued, posted, claimed and claimable wei.</summary>
    public Task<AccountEarningsView> AccountAsync(string account) => Earnings.Account(account);

    /// <summary>An account's earnings per epoch, oldest first.</summary>
    public Task<IReadOnlyList<AccountEpochView>> HistoryAsync(string account) => Earnings.History(account);

    /// <summary>A page of the inferences behind an account's earnings in an epoch.</summary>
    public Task<EarningsInferencePage> BehindAsync(string account, long epoch, int offset = 0, int limit = 100) => Earnings.Behind(account, epoch, offset, limit);

    /// <summary>The total under a Datanet, model, adapter or agent, over all epochs or one.</summary>
    public Task<EarningsTotalView> TotalsAsync(EarningsGrouping grouping, string key, long? epoch = null) => Earnings.Totals(grouping, key, epoch);

    /// <summary>The same totals per epoch, oldest first.</summary>
    public Task<IReadOnlyList<EarningsTotalView>> SeriesAsync(EarningsGrouping grouping, string key) => Earnings.Series(grouping, key);

    /// <summary>Every epoch's fees, accruals, burn and posted total.</summary>
    public Task<IReadOnlyList<EpochEarningsView>> EpochsAsync() => Earnings.Epochs();

    /// <summary>A Datanet's top contributors by wei earned in it.</summary>
    public Task<IReadOnlyList<TopContributorView>> TopContributorsAsync(string datanetId, int count = 10) => Earnings.TopContributors(datanetId, count);

    /// <summary>What the read model holds.</summary>
    public Task<EarningsStatusView> StatusAsync() => Earnings.Status();

    /// <summary>Every row of the accruals table, paged from the grain in pages of <paramref name="pageRows"/>.</summary>
    public async IAsyncEnumerable<AccrualRow> AccrualsAsync(int pageRows = 10_000, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        for (var offset = 0L; ; )
        {
            cancellation.ThrowIfCancellationRequested();
            var page = await Earnings.AccrualRows(offset, pageRows);
            foreach (var row in page)
            {
                yield return row;
            }
            if (page.Count < pageRows)
            {
                yield break;
            }
            offset += page.Count;
        }
    }
}
