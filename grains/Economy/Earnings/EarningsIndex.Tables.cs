namespace OpenLedger.Economy.Earnings;

/// <summary>
/// The index as tables to page through (for Arrow Flight and exports): accrual rows in the order charges were
/// applied, accounts by address. Applying more only appends accrual rows, so a reader paging on never sees a row twice.
/// </summary>
public sealed partial class EarningsIndex
{
    private readonly List<ChargedInference> _applied = [];
    private readonly List<long> _firstRow = [];
    private string[] _accountOrder = [];

    /// <summary>Rows in the accruals table: one per applied accrual.</summary>
    public long AccrualRows { get; private set; }

    /// <summary>Rows <paramref name="offset"/> onwards of the accruals table, at most <paramref name="limit"/> of them.</summary>
    public IReadOnlyList<EarningsRow> Rows(long offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var rows = new List<EarningsRow>((int)Math.Min(limit, Math.Max(0, AccrualRows - offset)));
        if (offset >= AccrualRows)
        {
            return rows;
        }
        // The inference holding row `offset`: the last whose first row is at or before it.
        var found = _firstRow.BinarySearch(offset);
        var inference = found >= 0 ? found : ~found - 1;
        var within = (int)(offset - _firstRow[inference]);
        for (; inference < _applied.Count && rows.Count < limit; inference++, within = 0)
        {
            var charged = _applied[inference];
            for (var i = within; i < charged.Accruals.Count && rows.Count < limit; i++)
            {
                var a = charged.Accruals[i];
                rows.Add(new EarningsRow(charged.Id, charged.Epoch, charged.At, charged.Agent, charged.ModelId, charged.AdapterId,
                    a.Recipient, a.Role, a.Wei, a.DatanetId));
            }
        }
        return rows;
    }

    /// <summary>Accounts <paramref name="offset"/> onwards in address order, at most <paramref name="limit"/> of them.</summary>
    public IReadOnlyList<AccountEarnings> AccountsPage(int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (_accountOrder.Length != _accounts.Count)
        {
            // Accounts are never removed, so a count that moved means new ones: sort again, once per change.
            _accountOrder = [.. _accounts.Keys.Order(StringComparer.Ordinal)];
        }
        return [.. _accountOrder.Skip(offset).Take(limit).Select(a => _accounts[a].ToEarnings())];
    }

    /// <summary>The totals of one key per epoch, oldest first: its earnings over time.</summary>
    public IReadOnlyList<KeyEpochEarnings> Series(EarningsDimension dimension, string key)
    {
        var (_, tally) = Find(dimension, key);
        return tally is null ? [] : [.. tally.PerEpoch().Select(e => new KeyEpochEarnings(e.Epoch, e.Wei, e.Inferences))];
    }

    private void Append(ChargedInference inference)
    {
        _applied.Add(inference);
        _firstRow.Add(AccrualRows);
        AccrualRows += inference.Accruals.Count;
    }
}
