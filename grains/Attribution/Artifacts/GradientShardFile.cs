using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using OpenLedger.Attribution.Influence;

namespace OpenLedger.Attribution.Artifacts;

/// <summary>One shard's projected gradients at one checkpoint, with the examples they belong to.</summary>
public sealed record GradientShard(long Step, IReadOnlyList<ExampleRef> Examples, CheckpointGradients Gradients);

/// <summary>
/// A shard's gradients as an Arrow IPC file: one row per training example (example_id, contribution_id, contributor,
/// and its projected gradient as a fixed-size list of float32, and its DataInf self-influence), the checkpoint's step and learning rate in the schema
/// metadata. pyarrow, Polars or DuckDB read it as it is; the example → contribution → contributor map travels with
/// the numbers, so a shard never needs anything else to answer.
/// </summary>
public static class GradientShardFile
{
    /// <summary>The format tag in the schema metadata.</summary>
    public const string Format = "openledger-gradients/1";

    private const int BatchRows = 16 * 1024;

    /// <summary>Writes <paramref name="shard"/> to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(Stream output, GradientShard shard)
    {
        var (examples, gradients) = (shard.Examples, shard.Gradients);
        if (gradients.Rows.Length != examples.Count * gradients.Dimensions)
        {
            throw new ArgumentException($"{gradients.Rows.Length} gradient values do not fill {examples.Count} examples x {gradients.Dimensions} dimensions.");
        }
        var schema = Schema(gradients.Dimensions, shard.Step, gradients.LearningRate);
        using var writer = new ArrowFileWriter(output, schema, leaveOpen: true);
        await writer.WriteStartAsync();
        for (var first = 0; first < examples.Count; first += BatchRows)
        {
            var rows = Math.Min(BatchRows, examples.Count - first);
            var batch = examples.Skip(first).Take(rows).ToList();
            var values = new FloatArray.Builder().AppendRange(gradients.Rows.AsSpan(first * gradients.Dimensions, rows * gradients.Dimensions).ToArray()).Build();
            await writer.WriteRecordBatchAsync(new RecordBatch(schema,
            [
                new Int64Array.Builder().AppendRange(batch.Select(e => e.ExampleId)).Build(),
                Strings(batch.Select(e => e.ContributionId)),
                Strings(batch.Select(e => e.Contributor)),
                new FixedSizeListArray(schema.GetFieldByName("gradient").DataType, rows, values, ArrowBuffer.Empty, 0, 0),
                new DoubleArray.Builder().AppendRange(gradients.SelfInfluence?.Skip(first).Take(rows) ?? Enumerable.Repeat(double.NaN, rows)).Build(),
            ], rows));
        }
        await writer.WriteEndAsync();
    }

    /// <summary>Reads a shard file, checking its format and shapes; a damaged file raises <see cref="InvalidDataException"/>.</summary>
    public static async Task<GradientShard> ReadAsync(Stream input)
    {
        try
        {
            using var reader = new ArrowFileReader(input, leaveOpen: true);
            var schema = reader.Schema;
            var metadata = schema.Metadata ?? new Dictionary<string, string>();
            if (!metadata.TryGetValue("format", out var format) || format != Format)
            {
                throw new InvalidDataException($"Not a gradient shard file: its format is '{format}', expected '{Format}'.");
            }
            var dimensions = int.Parse(metadata["dimensions"], CultureInfo.InvariantCulture);
            var step = long.Parse(metadata["step"], CultureInfo.InvariantCulture);
            var learningRate = double.Parse(metadata["learning_rate"], CultureInfo.InvariantCulture);
            var examples = new List<ExampleRef>();
            var rows = new List<float>();
            var self = new List<double>();
            while (await reader.ReadNextRecordBatchAsync() is { } batch)
            {
                using (batch)
                {
                    var ids = (Int64Array)batch.Column("example_id");
                    var contributions = (StringArray)batch.Column("contribution_id");
                    var contributors = (StringArray)batch.Column("contributor");
                    var gradient = (FixedSizeListArray)batch.Column("gradient");
                    var selfInfluence = (DoubleArray)batch.Column("self_influence");
                    var values = ((FloatArray)gradient.Values).Values;
                    if (values.Length < batch.Length * dimensions)
                    {
                        throw new InvalidDataException($"A batch of {batch.Length} rows holds {values.Length} gradient values; {batch.Length * dimensions} were expected.");
                    }
                    for (var r = 0; r < batch.Length; r++)
                    {
                        examples.Add(new ExampleRef(ids.GetValue(r) ?? throw new InvalidDataException("An example id is missing."),
                            contributions.GetString(r), contributors.GetString(r)));
                        self.Add(selfInfluence.GetValue(r) ?? double.NaN);
                    }
                    var offset = gradient.Offset * dimensions;
                    foreach (var v in values.Slice(offset, batch.Length * dimensions))
                    {
                        rows.Add(v);
                    }
                }
            }
            // NaN marks a file written without self-influence: relative influence is then unavailable, not wrong.
            var selfInfluences = self.Any(double.IsNaN) ? null : self.ToArray();
            return new GradientShard(step, examples, new CheckpointGradients(learningRate, dimensions, rows.ToArray(), selfInfluences));
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or KeyNotFoundException or InvalidCastException or ArgumentException or IOException or OverflowException)
        {
            throw new InvalidDataException($"The gradient shard file cannot be read: {ex.Message}", ex);
        }
    }

    private static Schema Schema(int dimensions, long step, double learningRate) => new Schema.Builder()
        .Field(f => f.Name("example_id").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("contribution_id").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("contributor").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("gradient").DataType(new FixedSizeListType(new Field("item", FloatType.Default, false), dimensions)).Nullable(false))
        .Field(f => f.Name("self_influence").DataType(DoubleType.Default).Nullable(false))
        .Metadata("format", Format)
        .Metadata("dimensions", dimensions.ToString(CultureInfo.InvariantCulture))
        .Metadata("step", step.ToString(CultureInfo.InvariantCulture))
        .Metadata("learning_rate", learningRate.ToString("R", CultureInfo.InvariantCulture))
        .Build();

    private static StringArray Strings(IEnumerable<string> values)
    {
        var builder = new StringArray.Builder();
        foreach (var value in values)
        {
            builder.Append(value);
        }
        return builder.Build();
    }
}
