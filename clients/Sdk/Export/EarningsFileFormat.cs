namespace OpenLedger.Client.Export;

/// <summary>The file an earnings table is exported to.</summary>
public enum EarningsFileFormat
{
    /// <summary>An Arrow IPC file (the random-access file format: <c>pyarrow.ipc.open_file</c>, Polars <c>read_ipc</c>, DuckDB).</summary>
    Arrow,

    /// <summary>A Parquet file; amounts as DECIMAL(38, 0) on 16-byte fixed-length byte arrays, times as TIMESTAMP(MICROS, UTC).</summary>
    Parquet,
}
