using System.Globalization;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using OpenLedger.Economy.Earnings.Tables;

namespace OpenLedger.Economy.Tests.Earnings.Tables;

public class EarningsTableBatchTests
{
    private static readonly DateTimeOffset _at = new(2026, 11, 24, 10, 30, 15, TimeSpan.Zero);

    [Fact]
    public async Task Accrual_rows_survive_an_arrow_ipc_file_cell_for_cell_with_wei_exact_above_two_to_the_64_and_decimals_28_digits()
    {
        var rows = Enumerable.Range(0, 300).Select(i => new
        {
            Inference = $"inf-{i:x4}",
            Epoch = 1L + i / 100,
            At = _at.AddSeconds(i).AddTicks(i % 10),
            Agent = i % 7 == 0 ? null : Addresses.Of(0x1000 + i % 5),
            Model = i % 11 == 0 ? null : $"model-{i % 3}",
            Adapter = i % 13 == 0 ? null : $"adapter-{i % 3}",
            Recipient = Addresses.Of(i),
            Role = (i % 4) switch { 0 => "Burn", 1 => "Protocol", 2 => "ModelDeveloper", _ => "DataContributor" },
            Wei = (BigInteger.Pow(10, 1 + i % 38) - 1 - i % 7).ToString(CultureInfo.InvariantCulture),
            Datanet = i % 4 == 3 ? $"datanet-{i % 2}" : null,
        }).ToList();
        var builder = new AccrualBatchBuilder(0);
        foreach (var r in rows)
        {
            builder.Add(r.Inference, r.Epoch, r.At, r.Agent, r.Model, r.Adapter, r.Recipient, r.Role, r.Wei, r.Datanet);
        }

        var back = await RoundTripAsync(builder.Build());

        Assert.Equal(EarningsTables.AccrualsSchema.FieldsList.Select(f => (f.Name, f.DataType.TypeId, f.IsNullable)),
            back.Schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId, f.IsNullable)));
        var wei = (Decimal128Array)back.Column("wei");
        Assert.Equal((38, 0), (wei.Precision, wei.Scale));
        Assert.Equal(TimeUnit.Microsecond, ((TimestampType)back.Schema.GetFieldByName("at").DataType).Unit);
        Assert.Equal("UTC", ((TimestampType)back.Schema.GetFieldByName("at").DataType).Timezone);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            Assert.Equal(r.Inference, Text(back, "inference_id", i));
            Assert.Equal(r.Epoch, ((Int64Array)back.Column("epoch")).GetValue(i));
            // Microseconds: the ticks below a microsecond are dropped, nothing else.
            Assert.Equal(r.At.UtcTicks / 10 * 10, ((TimestampArray)back.Column("at")).GetTimestamp(i)!.Value.UtcTicks);
            Assert.Equal(r.Agent, Text(back, "agent", i));
            Assert.Equal(r.Model, Text(back, "model_id", i));
            Assert.Equal(r.Adapter, Text(back, "adapter_id", i));
            Assert.Equal(r.Recipient, Text(back, "recipient", i));
            Assert.Equal(r.Role, Text(back, "role", i));
            Assert.Equal(r.Datanet, Text(back, "datanet_id", i));
            Assert.Equal(r.Wei, wei.GetString(i));
            Assert.Equal(r.Wei, ByteWiseDecimal.Read(wei.ValueBuffer.Span.Slice(i * 16, 16)).ToString(CultureInfo.InvariantCulture));
        }
        Assert.Contains(rows, r => r.Wei.Length == 38);
    }

    [Fact]
    public async Task Account_and_epoch_rows_keep_every_amount_and_an_unposted_epoch_reads_null()
    {
        var large = "99999999999999999999999999999999999999";
        var accounts = new AccountBatchBuilder(0);
        accounts.Add(Addresses.Of(1), large, "18446744073709551616", "79228162514264337593543950336", "18446744073709551615");
        accounts.Add(Addresses.Of(2), "0", "0", "0", "0");
        var epochs = new EpochBatchBuilder(0);
        epochs.Add(1, large, "99999999999999999999999999999999999998", "1", 12, "99999999999999999999999999999999999998");
        epochs.Add(2, "5", "4", "1", 1, null);

        var accountBatch = await RoundTripAsync(accounts.Build());
        var epochBatch = await RoundTripAsync(epochs.Build());

        Assert.Equal<string?>([large, "0"], Amounts(accountBatch, "accrued_wei"));
        Assert.Equal<string?>(["18446744073709551616", "0"], Amounts(accountBatch, "posted_wei"));
        Assert.Equal<string?>(["79228162514264337593543950336", "0"], Amounts(accountBatch, "claimed_wei"));
        Assert.Equal<string?>(["18446744073709551615", "0"], Amounts(accountBatch, "claimable_wei"));
        Assert.Equal<string?>([large, "5"], Amounts(epochBatch, "fees_wei"));
        Assert.Equal<string?>(["99999999999999999999999999999999999998", null], Amounts(epochBatch, "posted_wei"));
        Assert.Equal([12L, 1L], ((Int64Array)epochBatch.Column("inferences")).Values.ToArray());
    }

    [Theory]
    [InlineData("100000000000000000000000000000000000000", "has 39 digits")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935", "has 78 digits")]
    [InlineData("1.5", "is not a whole number of wei")]
    [InlineData("1e18", "is not a whole number of wei")]
    public void A_wei_decimal128_cannot_hold_is_refused_naming_the_table_row_and_column(string wei, string problem)
    {
        var builder = new AccrualBatchBuilder(50_000);
        builder.Add("inf-a", 1, _at, null, null, null, Addresses.Of(1), "Protocol", "7", null);
        builder.Add("inf-b", 1, _at, null, null, null, Addresses.Of(2), "Protocol", "8", null);

        var error = Assert.Throws<WeiNotRepresentableException>(() =>
            builder.Add("inf-c", 1, _at, null, null, null, Addresses.Of(3), "DataContributor", wei, null));

        Assert.Equal((EarningsTables.Accruals, 50_002L, "wei", wei, "wei_not_representable"), (error.Table, error.Row, error.Column, error.Value, error.Code));
        Assert.Contains($"inference inf-c, recipient {Addresses.Of(3)}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Row 50002 of the accruals table", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_epoch_amount_beyond_38_digits_names_the_epoch()
    {
        var builder = new EpochBatchBuilder(3);

        var error = Assert.Throws<WeiNotRepresentableException>(() =>
            builder.Add(4, "1", "1", "0", 1, "1000000000000000000000000000000000000000"));

        Assert.Equal((EarningsTables.Epochs, 3L, "epoch 4", "posted_wei"), (error.Table, error.Row, error.RowKey, error.Column));
    }

    [Fact]
    public void Tables_are_found_by_name_in_any_case_and_an_unknown_one_is_refused_naming_those_that_exist()
    {
        Assert.Same(EarningsTables.AccrualsSchema, EarningsTables.SchemaOf("Accruals"));
        Assert.Same(EarningsTables.EpochsSchema, EarningsTables.SchemaOf("epochs"));

        var error = Assert.Throws<UnknownEarningsTableException>(() => EarningsTables.SchemaOf("payouts"));

        Assert.Equal(("payouts", "unknown_earnings_table"), (error.Table, error.Code));
        Assert.Contains("accruals, accounts, epochs", error.Message, StringComparison.Ordinal);
    }

    private static async Task<RecordBatch> RoundTripAsync(RecordBatch batch)
    {
        var file = new MemoryStream();
        using (var writer = new ArrowFileWriter(file, batch.Schema, leaveOpen: true))
        {
            await writer.WriteStartAsync();
            await writer.WriteRecordBatchAsync(batch);
            await writer.WriteEndAsync();
        }
        file.Position = 0;
        using var reader = new ArrowFileReader(file);
        return (await reader.ReadNextRecordBatchAsync())!;
    }

    private static string? Text(RecordBatch batch, string column, int row) => ((StringArray)batch.Column(column)).GetString(row);

    private static IReadOnlyList<string?> Amounts(RecordBatch batch, string column)
    {
        var values = (Decimal128Array)batch.Column(column);
        return [.. Enumerable.Range(0, batch.Length).Select(i => WeiDecimal.Read(values, i)?.ToString(CultureInfo.InvariantCulture))];
    }
}
