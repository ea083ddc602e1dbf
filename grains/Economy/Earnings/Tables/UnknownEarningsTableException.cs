namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>A table name that is not one of <see cref="EarningsTables.Names"/>.</summary>
public sealed class UnknownEarningsTableException(string table)
    : EarningsTableException(table,
        $"There is no earnings table '{table}'. The tables are {string.Join(", ", EarningsTables.Names)}.")
{
    /// <inheritdoc />
    public override string Code => "unknown_earnings_table";
}
