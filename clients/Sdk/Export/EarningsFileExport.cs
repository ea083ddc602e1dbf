using Apache.Arrow;

namespace OpenLedger.Client.Export;

/// <summary>
/// Exports one earnings table, read over Flight, to an Arrow IPC or Parquet file. The file is written beside the
/// target and renamed when whole, so a failed export never leaves a truncated file under the asked-for name.
/// </summary>
public static class EarningsFileExport
{
    /// <summary>
    /// Writes <paramref name="table"/> to <paramref name="path"/>; <paramref name="progress"/> gets the rows written so
    /// far; <paramref name="started"/> gets the table's row count as listed when the read begins (for a progress bar).
    /// </summary>
    public static async Task<EarningsExportSummary> WriteAsync(EarningsFlightClient client, string table, EarningsFileFormat format, string path,
        IProgress<long>? progress = null, Action<EarningsTableInfo>? started = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var info = await client.InfoAsync(table, cancellation);
        started?.Invoke(info);
        var target = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        long rows = 0;
        try
        {
            await using (var output = File.Create(partial))
            {
                await using var file = Open(format, output, info.Schema);
                await foreach (var batch in client.ReadAsync(info.Table, cancellation))
                {
                    using (batch)
                    {
                        await file.WriteAsync(batch, cancellation);
                        rows += batch.Length;
                    }
                    progress?.Report(rows);
                }
                await file.CompleteAsync(cancellation);
            }
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        return new EarningsExportSummary(info.Table, format, rows, new FileInfo(target).Length, target);
    }

    private static IRecordBatchFile Open(EarningsFileFormat format, Stream output, Schema schema) => format switch
    {
        EarningsFileFormat.Arrow => new ArrowTableFile(output, schema),
        EarningsFileFormat.Parquet => new ParquetTableFile(output, schema),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Export to arrow or parquet."),
    };
}
