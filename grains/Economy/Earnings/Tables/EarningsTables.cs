using Apache.Arrow;
using Apache.Arrow.Types;

namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>
/// The analysts' earnings tables and their Arrow schemas: <c>accruals</c> (one row per inference and recipient),
/// <c>accounts</c> (one row per account) and <c>epochs</c> (one row per epoch). Amounts are decimal128(38, 0) wei,
/// times are microseconds in UTC, and no column is a float, so pyarrow, Polars and DuckDB read the ledger's figures
/// exactly.
/// </summary>
public static class EarningsTables
{
    /// <summary>One row per charged inference and recipient, in the order charges arrived.</summary>
    public const string Accruals = "accruals";

    /// <summary>One row per account, by address.</summary>
    public const string Accounts = "accounts";

    /// <summary>One row per epoch, oldest first.</summary>
    public const string Epochs = "epochs";

    /// <summary>The first element of an Arrow Flight descriptor path naming one of these tables: <c>["earnings", "accruals"]</c>.</summary>
    public const string Dataset = "earnings";

    private static readonly TimestampType _utcMicroseconds = new(TimeUnit.Microsecond, "UTC");

    /// <summary>The tables, in the order they are listed.</summary>
    public static IReadOnlyList<string> Names { get; } = [Accruals, Accounts, Epochs];

    /// <summary>
    /// inference_id, epoch, at (timestamp[us, UTC]), agent, model_id, adapter_id, recipient, role (Burn, Protocol,
    /// ModelDeveloper or DataContributor), wei, datanet_id. The burn's recipient is the zero address.
    /// </summary>
    public static Schema AccrualsSchema { get; } = Tagged(Accruals, new Schema.Builder()
        .Field(f => f.Name("inference_id").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("epoch").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("at").DataType(_utcMicroseconds).Nullable(false))
        .Field(f => f.Name("agent").DataType(StringType.Default).Nullable(true))
        .Field(f => f.Name("model_id").DataType(StringType.Default).Nullable(true))
        .Field(f => f.Name("adapter_id").DataType(StringType.Default).Nullable(true))
        .Field(f => f.Name("recipient").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("role").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("wei").DataType(WeiDecimal.Type).Nullable(false))
        .Field(f => f.Name("datanet_id").DataType(StringType.Default).Nullable(true)));

    /// <summary>account, accrued_wei, posted_wei, claimed_wei, claimable_wei (posted less claimed).</summary>
    public static Schema AccountsSchema { get; } = Tagged(Accounts, new Schema.Builder()
        .Field(f => f.Name("account").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("accrued_wei").DataType(WeiDecimal.Type).Nullable(false))
        .Field(f => f.Name("posted_wei").DataType(WeiDecimal.Type).Nullable(false))
        .Field(f => f.Name("claimed_wei").DataType(WeiDecimal.Type).Nullable(false))
        .Field(f => f.Name("claimable_wei").DataType(WeiDecimal.Type).Nullable(false)));

    /// <summary>epoch, fees_wei, accrued_wei, burned_wei, inferences, posted_wei (null until the epoch is posted).</summary>
    public static Schema EpochsSchema { get; } = Tagged(Epochs, new Schema.Builder()
        .Field(f => f.Name("epoch").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("fees_wei").DataType(WeiDecimal.Type).Nullable(false))
        .Field(f => f.Name("accrued_wei").DataType(WeiDecimal.Type).Nullable(false))
        .Field(f => f.Name("burned_wei").DataType(WeiDecimal.Type).Nullable(false))
        .Field(f => f.Name("inferences").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("posted_wei").DataType(WeiDecimal.Type).Nullable(true)));

    /// <summary>The table's canonical name; an <see cref="UnknownEarningsTableException"/> for any other.</summary>
    public static string Require(string? table) =>
        Names.FirstOrDefault(n => string.Equals(n, table?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new UnknownEarningsTableException(table ?? "");

    /// <summary>The schema of <paramref name="table"/>; an <see cref="UnknownEarningsTableException"/> for an unknown name.</summary>
    public static Schema SchemaOf(string table) => Require(table) switch
    {
        Accruals => AccrualsSchema,
        Accounts => AccountsSchema,
        _ => EpochsSchema,
    };

    // The table's name and unit travel with the schema, so a file read years later still says what it holds.
    private static Schema Tagged(string table, Schema.Builder builder) => builder
        .Metadata("openledger.table", "earnings." + table)
        .Metadata("openledger.amounts", "integer wei (1 OPEN = 10^18 wei) as decimal128(38, 0)")
        .Build();
}
