using System.Runtime.CompilerServices;
using Apache.Arrow;
using OpenLedger.Economy;
using OpenLedger.Economy.Earnings.Tables;

namespace OpenLedger.Silo.Flight;

/// <summary>
/// The earnings tables as the earnings grain pages them (<see cref="IEarningsGrain.AccrualRows"/>,
/// <see cref="IEarningsGrain.AccountRows"/>, <see cref="IEarningsGrain.Epochs"/>), converted to Arrow batches here,
/// on the silo that serves the Flight call. The next page is asked for while the current one is converted and sent.
/// </summary>
/// <param name="grains">Where the earnings grain is.</param>
/// <param name="pageRows">Rows per grain call, at most <see cref="IEarningsGrain.MaxPageRows"/> (the default).</param>
public sealed class GrainEarningsTables(IGrainFactory grains, int pageRows = IEarningsGrain.MaxPageRows) : IEarningsTableSource
{
    private readonly int _pageRows = pageRows is >= 1 and <= IEarningsGrain.MaxPageRows
        ? pageRows
        : throw new ArgumentOutOfRangeException(nameof(pageRows), pageRows, $"A page is 1 to {IEarningsGrain.MaxPageRows} rows.");

    private IEarningsGrain Earnings => grains.GetGrain<IEarningsGrain>(IEarningsGrain.Key);

    /// <inheritdoc />
    public async Task<long> CountAsync(string table, CancellationToken cancellation) => table switch
    {
        EarningsTables.Accruals => (await Earnings.Status()).AccrualRows,
        EarningsTables.Accounts => (await Earnings.Status()).Accounts,
        EarningsTables.Epochs => (await Earnings.Epochs()).Count,
        _ => throw new UnknownEarningsTableException(table),
    };

    /// <inheritdoc />
    public IAsyncEnumerable<RecordBatch> ReadAsync(string table, CancellationToken cancellation) => table switch
    {
        EarningsTables.Accruals => AccrualsAsync(cancellation),
        EarningsTables.Accounts => AccountsAsync(cancellation),
        EarningsTables.Epochs => EpochsAsync(cancellation),
        _ => throw new UnknownEarningsTableException(table),
    };

    private async IAsyncEnumerable<RecordBatch> AccrualsAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        // Rows charged later only extend the table, so reading up to the count taken now is one consistent snapshot,
        // however long the stream takes.
        var total = (await Earnings.Status()).AccrualRows;
        long offset = 0;
        var next = total > 0 ? Earnings.AccrualRows(0, PageAt(0, total)) : null;
        while (next is not null)
        {
            var page = await next;
            var after = offset + page.Count;
            next = page.Count > 0 && after < total ? Earnings.AccrualRows(after, PageAt(after, total)) : null;
            for (var start = 0; start < page.Count; start += EarningsFlightServer.MaxBatchRows)
            {
                cancellation.ThrowIfCancellationRequested();
                var builder = new AccrualBatchBuilder(offset + start);
                for (var i = start; i < Math.Min(page.Count, start + EarningsFlightServer.MaxBatchRows); i++)
                {
                    var r = page[i];
                    builder.Add(r.InferenceId, r.Epoch, r.At, r.Agent, r.ModelId, r.AdapterId, r.Recipient, r.Role, r.Wei, r.DatanetId);
                }
                yield return builder.Build();
            }
            offset = after;
        }
    }

    private async IAsyncEnumerable<RecordBatch> AccountsAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        var offset = 0;
        var next = Earnings.AccountRows(0, _pageRows);
        while (next is not null)
        {
            var page = await next;
            var after = offset + page.Count;
            // A short page is the last one.
            next = page.Count == _pageRows ? Earnings.AccountRows(after, _pageRows) : null;
            for (var start = 0; start < page.Count; start += EarningsFlightServer.MaxBatchRows)
            {
                cancellation.ThrowIfCancellationRequested();
                var builder = new AccountBatchBuilder(offset + start);
                for (var i = start; i < Math.Min(page.Count, start + EarningsFlightServer.MaxBatchRows); i++)
                {
                    var a = page[i];
                    builder.Add(a.Account, a.AccruedWei, a.PostedWei, a.ClaimedWei, a.ClaimableWei);
                }
                yield return builder.Build();
            }
            offset = after;
        }
    }

    private async IAsyncEnumerable<RecordBatch> EpochsAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        var epochs = await Earnings.Epochs();
        for (var start = 0; start < epochs.Count; start += EarningsFlightServer.MaxBatchRows)
        {
            cancellation.ThrowIfCancellationRequested();
            var builder = new EpochBatchBuilder(start);
            foreach (var e in epochs.Skip(start).Take(EarningsFlightServer.MaxBatchRows))
            {
                builder.Add(e.Epoch, e.FeesWei, e.AccruedWei, e.BurnedWei, e.Inferences, e.PostedWei);
            }
            yield return builder.Build();
        }
    }

    private int PageAt(long offset, long total) => (int)Math.Min(_pageRows, total - offset);
}
