using Apache.Arrow;

namespace OpenLedger.Silo.Flight;

/// <summary>
/// Where the Flight endpoint reads the earnings tables from: the earnings grain in a silo, or an index held in
/// memory (the benchmark). Table names are canonical (<see cref="Economy.Earnings.Tables.EarningsTables.Names"/>).
/// </summary>
public interface IEarningsTableSource
{
    /// <summary>How many rows <paramref name="table"/> has now.</summary>
    Task<long> CountAsync(string table, CancellationToken cancellation);

    /// <summary>
    /// <paramref name="table"/>'s rows, first to last, in record batches of at most
    /// <see cref="EarningsFlightServer.MaxBatchRows"/> rows; a row the table's types cannot hold ends the read with a
    /// <see cref="Economy.Earnings.Tables.WeiNotRepresentableException"/>.
    /// </summary>
    IAsyncEnumerable<RecordBatch> ReadAsync(string table, CancellationToken cancellation);
}
