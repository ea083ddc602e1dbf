using System.Runtime.CompilerServices;
using Apache.Arrow;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Earnings.Tables;

namespace OpenLedger.Silo.Flight;

/// <summary>
/// The earnings tables straight from an <see cref="EarningsIndex"/> held in this process, with no grain in between:
/// what `./openledger bench queries` serves, and what tests serve rows no ledger could produce from. The index must
/// not be applied to while a read is under way (it is not thread-safe).
/// </summary>
public sealed class IndexEarningsTables(EarningsIndex index) : IEarningsTableSource
{
    /// <inheritdoc />
    public Task<long> CountAsync(string table, CancellationToken cancellation) => Task.FromResult(table switch
    {
        EarningsTables.Accruals => index.AccrualRows,
        EarningsTables.Accounts => index.Accounts,
        EarningsTables.Epochs => (long)index.Epochs().Count,
        _ => throw new UnknownEarningsTableException(table),
    });

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
        var total = index.AccrualRows;
        for (long offset = 0; offset < total; offset += EarningsFlightServer.MaxBatchRows)
        {
            cancellation.ThrowIfCancellationRequested();
            var builder = new AccrualBatchBuilder(offset);
            foreach (var row in index.Rows(offset, (int)Math.Min(EarningsFlightServer.MaxBatchRows, total - offset)))
            {
                builder.Add(row);
            }
            yield return builder.Build();
            // Let the sender run while the next batch is built.
            await Task.Yield();
        }
    }

    private async IAsyncEnumerable<RecordBatch> AccountsAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        for (var offset = 0; ; offset += EarningsFlightServer.MaxBatchRows)
        {
            cancellation.ThrowIfCancellationRequested();
            var page = index.AccountsPage(offset, EarningsFlightServer.MaxBatchRows);
            if (page.Count == 0)
            {
                yield break;
            }
            var builder = new AccountBatchBuilder(offset);
            foreach (var account in page)
            {
                builder.Add(account);
            }
            yield return builder.Build();
            await Task.Yield();
        }
    }

    private async IAsyncEnumerable<RecordBatch> EpochsAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        var epochs = index.Epochs();
        for (var start = 0; start < epochs.Count; start += EarningsFlightServer.MaxBatchRows)
        {
            cancellation.ThrowIfCancellationRequested();
            var builder = new EpochBatchBuilder(start);
            foreach (var epoch in epochs.Skip(start).Take(EarningsFlightServer.MaxBatchRows))
            {
                builder.Add(epoch);
            }
            yield return builder.Build();
            await Task.Yield();
        }
    }
}
