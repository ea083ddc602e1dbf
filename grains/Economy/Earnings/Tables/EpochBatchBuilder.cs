using Apache.Arrow;

namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>
/// One record batch of the <c>epochs</c> table (<see cref="EarningsTables.EpochsSchema"/>). An amount
/// decimal128(38, 0) cannot hold is refused with a <see cref="WeiNotRepresentableException"/> naming the epoch; the
/// builder is then discarded.
/// </summary>
/// <param name="firstRow">The table position of the first row added, so errors name rows as the table numbers them.</param>
public sealed class EpochBatchBuilder(long firstRow)
{
    private readonly Int64Array.Builder _epochs = new();
    private readonly WeiColumn _fees = new(EarningsTables.Epochs, "fees_wei");
    private readonly WeiColumn _accrued = new(EarningsTables.Epochs, "accrued_wei");
    private readonly WeiColumn _burned = new(EarningsTables.Epochs, "burned_wei");
    private readonly Int64Array.Builder _inferences = new();
    private readonly WeiColumn _posted = new(EarningsTables.Epochs, "posted_wei");

    /// <summary>Rows added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one epoch's totals, each a decimal string of integer wei; <paramref name="postedWei"/> is null until the epoch is posted.</summary>
    public void Add(long epoch, string feesWei, string accruedWei, string burnedWei, long inferences, string? postedWei)
    {
        var row = firstRow + Count;
        string Key() => $"epoch {epoch}";
        _fees.Append(feesWei ?? throw new ArgumentNullException(nameof(feesWei)), row, Key);
        _accrued.Append(accruedWei ?? throw new ArgumentNullException(nameof(accruedWei)), row, Key);
        _burned.Append(burnedWei ?? throw new ArgumentNullException(nameof(burnedWei)), row, Key);
        _posted.Append(postedWei, row, Key);
        _epochs.Append(epoch);
        _inferences.Append(inferences);
        Count++;
    }

    /// <summary>Adds one epoch's totals as the index keeps them (<see cref="EarningsIndex.Epochs"/>).</summary>
    public void Add(EpochEarnings earnings)
    {
        ArgumentNullException.ThrowIfNull(earnings);
        var row = firstRow + Count;
        string Key() => $"epoch {earnings.Epoch}";
        _fees.Append(earnings.Fees, row, Key);
        _accrued.Append(earnings.Accrued, row, Key);
        _burned.Append(earnings.Burned, row, Key);
        _posted.Append(earnings.Posted, row, Key);
        _epochs.Append(earnings.Epoch);
        _inferences.Append(earnings.Inferences);
        Count++;
    }

    /// <summary>The batch of every row added.</summary>
    public RecordBatch Build() => new(EarningsTables.EpochsSchema,
        [_epochs.Build(), _fees.Build(), _accrued.Build(), _burned.Build(), _inferences.Build(), _posted.Build()], Count);
}
