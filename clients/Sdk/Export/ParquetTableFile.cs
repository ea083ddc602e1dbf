using Apache.Arrow;
using ParquetSharp;
using ParquetSharp.Arrow;

namespace OpenLedger.Client.Export;

/// <summary>
/// A Parquet file written by Arrow's C++ writer (ParquetSharp) from the same record batches: decimal128(38, 0) becomes
/// DECIMAL(38, 0) on FIXED_LEN_BYTE_ARRAY(16) with the very bytes, timestamp[us, UTC] becomes TIMESTAMP(MICROS,
/// adjusted to UTC), and the Arrow schema travels in the file's metadata.
/// </summary>
internal sealed class ParquetTableFile : IRecordBatchFile
{
    /// <summary>Rows per row group: large enough to scan fast, small enough for readers that load a group at a time.</summary>
    public const long RowGroupRows = 256 * 1024;

    private readonly FileWriter _writer;

    public ParquetTableFile(Stream output, Schema schema)
    {
        using var properties = new WriterPropertiesBuilder()
            .Compression(Compression.Snappy)
            .MaxRowGroupLength(RowGroupRows)
            .DisableStoreDecimalAsInteger()
            .CreatedBy("OpenLedger Grid earnings export")
            .Build();
        using var arrowProperties = new ArrowWriterPropertiesBuilder().StoreSchema().Build();
        _writer = new FileWriter(output, schema, properties, arrowProperties, leaveOpen: true);
    }

    /// <inheritdoc />
    public Task WriteAsync(RecordBatch batch, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        // Buffered: small Flight batches fill one row group rather than each becoming its own.
        _writer.WriteBufferedRecordBatch(batch);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task CompleteAsync(CancellationToken cancellation)
    {
        _writer.Close();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }
}
