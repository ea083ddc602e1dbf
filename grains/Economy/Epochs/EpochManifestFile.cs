using System.Globalization;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using OpenLedger.Datanets;

namespace OpenLedger.Economy.Epochs;

/// <summary>
/// An epoch's manifest as an Arrow IPC file, one row per leaf: epoch_id, account, cumulative_wei (exact decimal
/// string), cumulative_wei_be32 (the same amount as a 32-byte big-endian uint256) and leaf_hash; the root, totals and
/// manifest hash in the schema metadata. No floating-point column anywhere: amounts stay exact in pyarrow, Polars or
/// DuckDB.
/// </summary>
public static class EpochManifestFile
{
    /// <summary>The format tag in the schema metadata.</summary>
    public const string Format = "openledger-epoch-manifest/1";

    private const int BatchRows = 64 * 1024;

    /// <summary>Writes <paramref name="close"/>'s manifest to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(Stream output, EpochClose close, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(close);
        var schema = Schema(close);
        using var writer = new ArrowFileWriter(output, schema, leaveOpen: true);
        await writer.WriteStartAsync(cancellation);
        for (var first = 0; first < close.Leaves.Count; first += BatchRows)
        {
            var batch = close.Leaves.Skip(first).Take(BatchRows).ToList();
            var accounts = new StringArray.Builder();
            var decimals = new StringArray.Builder();
            foreach (var leaf in batch)
            {
                accounts.Append(leaf.Account);
                decimals.Append(leaf.CumulativeAmount.ToString(CultureInfo.InvariantCulture));
            }
            await writer.WriteRecordBatchAsync(new RecordBatch(schema,
            [
                new Int64Array.Builder().AppendRange(Enumerable.Repeat(close.EpochId, batch.Count)).Build(),
                accounts.Build(),
                decimals.Build(),
                Words(batch.Select(l => Wei.ToUInt256Word(l.CumulativeAmount))),
                Words(batch.Select(l => l.Hash)),
            ], batch.Count), cancellation);
        }
        await writer.WriteEndAsync(cancellation);
    }

    /// <summary>
    /// Reads a manifest back into its close, recomputing every leaf hash, the root and the manifest hash; a damaged or
    /// inconsistent file raises <see cref="InvalidDataException"/>.
    /// </summary>
    public static async Task<EpochClose> ReadAsync(Stream input, CancellationToken cancellation = default)
    {
        try
        {
            using var reader = new ArrowFileReader(input, leaveOpen: true);
            var metadata = reader.Schema.Metadata ?? new Dictionary<string, string>();
            if (!metadata.TryGetValue("format", out var format) || format != Format)
            {
                throw new InvalidDataException($"Not an epoch manifest: its format is '{format}', expected '{Format}'.");
            }
            var epochId = long.Parse(metadata["epoch_id"], CultureInfo.InvariantCulture);
            var leaves = new List<CumulativeLeaf>();
            while (await reader.ReadNextRecordBatchAsync(cancellation) is { } batch)
            {
                using (batch)
                {
                    var epochs = (Int64Array)batch.Column("epoch_id");
                    var accounts = (StringArray)batch.Column("account");
                    var decimals = (StringArray)batch.Column("cumulative_wei");
                    var words = (FixedSizeBinaryArray)batch.Column("cumulative_wei_be32");
                    var hashes = (FixedSizeBinaryArray)batch.Column("leaf_hash");
                    for (var r = 0; r < batch.Length; r++)
                    {
                        var amount = BigInteger.Parse(decimals.GetString(r), NumberStyles.None, CultureInfo.InvariantCulture);
                        var leaf = new CumulativeLeaf(accounts.GetString(r), amount);
                        if (epochs.GetValue(r) != epochId || Wei.FromUInt256Word(words.GetBytes(r)) != amount || !hashes.GetBytes(r).SequenceEqual(leaf.Hash))
                        {
                            throw new InvalidDataException($"Row {leaves.Count} ({leaf.Account}) disagrees with itself: its epoch, amount columns or leaf hash do not match.");
                        }
                        leaves.Add(leaf);
                    }
                }
            }
            var close = new EpochClose(epochId, leaves, BigInteger.Parse(metadata["total_wei"], CultureInfo.InvariantCulture), BigInteger.Parse(metadata["burn_wei"], CultureInfo.InvariantCulture));
            if (Hex.Encode(close.Root) != metadata["root"] || Hex.Encode(close.ManifestHash) != metadata["manifest_hash"])
            {
                throw new InvalidDataException(
                    $"The manifest's leaves give root {Hex.Encode(close.Root)} and manifest hash {Hex.Encode(close.ManifestHash)}, not the recorded {metadata["root"]} and {metadata["manifest_hash"]}.");
            }
            return close;
        }
        catch (Exception ex) when (ex is FormatException or KeyNotFoundException or InvalidCastException or ArgumentException or IOException or OverflowException)
        {
            throw new InvalidDataException($"The epoch manifest cannot be read: {ex.Message}", ex);
        }
    }

    private static Schema Schema(EpochClose close) => new Schema.Builder()
        .Field(f => f.Name("epoch_id").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("account").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("cumulative_wei").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("cumulative_wei_be32").DataType(new FixedSizeBinaryType(32)).Nullable(false))
        .Field(f => f.Name("leaf_hash").DataType(new FixedSizeBinaryType(32)).Nullable(false))
        .Metadata("format", Format)
        .Metadata("epoch_id", close.EpochId.ToString(CultureInfo.InvariantCulture))
        .Metadata("root", Hex.Encode(close.Root))
        .Metadata("manifest_hash", Hex.Encode(close.ManifestHash))
        .Metadata("total_wei", close.Total.ToString(CultureInfo.InvariantCulture))
        .Metadata("burn_wei", close.Burn.ToString(CultureInfo.InvariantCulture))
        .Build();

    private static FixedSizeBinaryArray Words(IEnumerable<byte[]> words)
    {
        var values = words.SelectMany(w => w).ToArray();
        var length = values.Length / 32;
        return new FixedSizeBinaryArray(new ArrayData(new FixedSizeBinaryType(32), length, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(values)]));
    }
}
