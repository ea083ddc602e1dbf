namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>An earnings table that cannot be served or written as asked; nothing partial is passed off as the table.</summary>
public abstract class EarningsTableException : Exception
{
    /// <summary>The gRPC trailer in which a Flight endpoint carries <see cref="Code"/> beside its status.</summary>
    public const string CodeTrailer = "openledger-error-code";

    /// <summary>Creates the error about <paramref name="table"/>.</summary>
    protected EarningsTableException(string table, string message) : base(message)
    {
        Table = table;
    }

    /// <summary>The table asked for, as the caller named it.</summary>
    public string Table { get; }

    /// <summary>A stable snake_case error code, e.g. <c>unknown_earnings_table</c>.</summary>
    public abstract string Code { get; }
}
