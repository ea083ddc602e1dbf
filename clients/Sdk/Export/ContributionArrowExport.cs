using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using OpenLedger.Datanets;

namespace OpenLedger.Client.Export;

/// <summary>Writes Datanet manifests and snapshots as Arrow IPC files, one row per contribution.</summary>
public static class ContributionArrowExport
{
    /// <summary>Rows per record batch: large enough to be efficient, small enough to stream.</summary>
    public const int BatchRows = 64 * 1024;

    /// <summary>The manifest's columns.</summary>
    public static Schema ManifestSchema { get; } = new Schema.Builder()
        .Field(f => f.Name("contribution_id").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("sequence").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("contributor").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("payload_hash").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("size_bytes").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("record_count").DataType(Int32Type.Default).Nullable(false))
        .Field(f => f.Name("licence").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("submitted_at").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")).Nullable(false))
        .Field(f => f.Name("status").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("decided_by").DataType(StringType.Default).Nullable(true))
        .Field(f => f.Name("reason").DataType(StringType.Default).Nullable(true))
        .Build();

    /// <summary>Writes every contribution of a Datanet; <paramref name="progress"/> gets rows written so far.</summary>
    public static async Task WriteManifestAsync(Stream output, IReadOnlyList<ContributionRecord> records, IProgress<int>? progress = null)
    {
        using var writer = new ArrowFileWriter(output, ManifestSchema, leaveOpen: true);
        await writer.WriteStartAsync();
        for (var start = 0; start < records.Count; start += BatchRows)
        {
            var batch = records.Skip(start).Take(BatchRows).ToList();
            var submitted = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
            foreach (var r in batch)
            {
                submitted.Append(r.SubmittedAt);
            }
            await writer.WriteRecordBatchAsync(new RecordBatch(ManifestSchema,
            [
                Strings(batch.Select(r => r.Id)),
                new Int64Array.Builder().AppendRange(batch.Select(r => r.Sequence)).Build(),
                Strings(batch.Select(r => r.Contributor)),
                Strings(batch.Select(r => r.PayloadHash)),
                new Int64Array.Builder().AppendRange(batch.Select(r => r.SizeBytes)).Build(),
                new Int32Array.Builder().AppendRange(batch.Select(r => r.RecordCount)).Build(),
                Strings(batch.Select(r => r.Licence)),
                submitted.Build(),
                Strings(batch.Select(r => r.Status.ToString().ToLowerInvariant())),
                Strings(batch.Select(r => r.DecidedBy)),
                Strings(batch.Select(r => r.Reason)),
            ], batch.Count));
            progress?.Report(start + batch.Count);
        }
        await writer.WriteEndAsync();
    }

    /// <summary>Writes a snapshot's members in leaf order, with its root in the schema metadata.</summary>
    public static async Task WriteSnapshotAsync(Stream output, SnapshotManifest snapshot, IProgress<int>? progress = null)
    {
        var schema = new Schema.Builder()
            .Field(f => f.Name("leaf_index").DataType(Int32Type.Default).Nullable(false))
            .Field(f => f.Name("contribution_id").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("payload_hash").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("contributor").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("size_bytes").DataType(Int64Type.Default).Nullable(false))
            .Field(f => f.Name("record_count").DataType(Int32Type.Default).Nullable(false))
            .Metadata("datanet_id", snapshot.DatanetId)
            .Metadata("snapshot_number", snapshot.Info.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Metadata("snapshot_root", snapshot.Info.Root)
            .Build();
        using var writer = new ArrowFileWriter(output, schema, leaveOpen: true);
        await writer.WriteStartAsync();
        var members = snapshot.Members;
        for (var start = 0; start < members.Count; start += BatchRows)
        {
            var batch = members.Skip(start).Take(BatchRows).ToList();
            await writer.WriteRecordBatchAsync(new RecordBatch(schema,
            [
                new Int32Array.Builder().AppendRange(Enumerable.Range(start, batch.Count)).Build(),
                Strings(batch.Select(m => m.ContributionId)),
                Strings(batch.Select(m => m.PayloadHash)),
                Strings(batch.Select(m => m.Contributor)),
                new Int64Array.Builder().AppendRange(batch.Select(m => m.SizeBytes)).Build(),
                new Int32Array.Builder().AppendRange(batch.Select(m => m.RecordCount)).Build(),
            ], batch.Count));
            progress?.Report(start + batch.Count);
        }
        await writer.WriteEndAsync();
    }

    private static StringArray Strings(IEnumerable<string?> values)
    {
        var builder = new StringArray.Builder();
        foreach (var value in values)
        {
            if (value is null)
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(value);
            }
        }
        return builder.Build();
    }
}
