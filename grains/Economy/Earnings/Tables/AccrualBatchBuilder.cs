using Apache.Arrow;
using Apache.Arrow.Types;

namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>
/// One record batch of the <c>accruals</c> table (<see cref="EarningsTables.AccrualsSchema"/>), from rows as the grain's
/// pages carry them. A row whose wei decimal128(38, 0) cannot hold is refused with a
/// <see cref="WeiNotRepresentableException"/> naming it; the builder is then discarded.
/// </summary>
/// <param name="firstRow">The table position of the first row added, so errors name rows as the table numbers them.</param>
public sealed class AccrualBatchBuilder(long firstRow)
{
    private readonly TextColumn _inferences = new();
    private readonly Int64Array.Builder _epochs = new();
    private readonly TimestampArray.Builder _times = new((TimestampType)EarningsTables.AccrualsSchema.GetFieldByName("at").DataType);
    private readonly TextColumn _agents = new();
    private readonly TextColumn _models = new();
    private readonly TextColumn _adapters = new();
    private readonly TextColumn _recipients = new();
    private readonly TextColumn _roles = new();
    private readonly WeiColumn _wei = new(EarningsTables.Accruals, "wei");
    private readonly TextColumn _datanets = new();

    /// <summary>Rows added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one recipient's part of one charged inference; <paramref name="wei"/> is a decimal string of integer wei.</summary>
    public void Add(string inferenceId, long epoch, DateTimeOffset at, string? agent, string? modelId, string? adapterId,
        string recipient, string role, string wei, string? datanetId)
    {
        ArgumentNullException.ThrowIfNull(inferenceId);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(wei);
        _wei.Append(wei, firstRow + Count, () => $"inference {inferenceId}, recipient {recipient}");
        AddRest(inferenceId, epoch, at, agent, modelId, adapterId, recipient, role, datanetId);
    }

    /// <summary>Adds one row of the index's accruals table (<see cref="EarningsIndex.Rows"/>).</summary>
    public void Add(EarningsRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _wei.Append(row.Wei, firstRow + Count, () => $"inference {row.InferenceId}, recipient {row.Recipient}");
        AddRest(row.InferenceId, row.Epoch, row.At, row.Agent, row.ModelId, row.AdapterId, row.Recipient, row.Role.ToString(), row.DatanetId);
    }

    private void AddRest(string inferenceId, long epoch, DateTimeOffset at, string? agent, string? modelId, string? adapterId,
        string recipient, string role, string? datanetId)
    {
        _inferences.Append(inferenceId);
        _epochs.Append(epoch);
        _times.Append(at);
        _agents.Append(agent);
        _models.Append(modelId);
        _adapters.Append(adapterId);
        _recipients.Append(recipient);
        _roles.Append(role);
        _datanets.Append(datanetId);
        Count++;
    }

    /// <summary>The batch of every row added.</summary>
    public RecordBatch Build() => new(EarningsTables.AccrualsSchema,
    [
        _inferences.Build(), _epochs.Build(), _times.Build(), _agents.Build(), _models.Build(), _adapters.Build(),
        _recipients.Build(), _roles.Build(), _wei.Build(), _datanets.Build(),
    ], Count);
}
