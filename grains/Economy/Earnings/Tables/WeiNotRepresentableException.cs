namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>
/// An amount that decimal128(38, 0) cannot hold exactly: more than 38 digits, or not a whole number of wei. The row is
/// refused rather than rounded, so no table ever carries an amount other than the ledger's.
/// </summary>
public sealed class WeiNotRepresentableException(string table, long row, string rowKey, string column, string value, string problem)
    : EarningsTableException(table,
        $"Row {row} of the {table} table ({rowKey}) has {column} '{value}', which {problem}. The table was not written; "
        + "an amount this large cannot come from the OPEN ledger (the whole supply is 10^27 wei), so check what produced it.")
{
    /// <summary>The row's position in the table, from 0.</summary>
    public long Row { get; } = row;

    /// <summary>What identifies the row, e.g. <c>inference inf-7f3a, recipient 0x…</c>.</summary>
    public string RowKey { get; } = rowKey;

    /// <summary>The amount column, e.g. <c>wei</c>.</summary>
    public string Column { get; } = column;

    /// <summary>The amount as it came.</summary>
    public string Value { get; } = value;

    /// <inheritdoc />
    public override string Code => "wei_not_representable";
}
