using System.Globalization;
using System.Net;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;
using OpenLedger.Client.Export;
using OpenLedger.Economy;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Earnings.Tables;
using OpenLedger.Grains.Economy;
using OpenLedger.Silo.Flight;

namespace OpenLedger.Cluster.Tests.Earnings;

/// <summary>
/// The earnings tables over Arrow Flight from the earnings grain of the two-silo cluster, fed a seeded ledger history
/// whose amounts reach 37 digits: every row and total read over Flight, and from exported Arrow and Parquet files by
/// an independent reader, equals what the grain answers, to the wei.
/// </summary>
[Collection(GridClusterCollection.Name)]
public sealed class EarningsFlightTests(GridCluster grid)
{
    // Small grain pages, so a few thousand rows cross several page (and record batch) boundaries.
    private const int PageRows = 1_000;
    private static readonly SemaphoreSlim _feeding = new(1, 1);
    private static readonly HashSet<string> _fed = [];

    private IEarningsGrain Earnings => grid.Cluster.Client.GetGrain<IEarningsGrain>(IEarningsGrain.Key);

    [Fact]
    public async Task DoGet_streams_every_accrual_row_the_grain_pages_cell_for_cell_across_page_boundaries()
    {
        await FeedAsync();
        await using var host = await StartAsync();
        using var channel = Channel(host);
        var flight = new FlightClient(channel);
        var status = await Earnings.Status();

        var info = await flight.GetInfo(FlightDescriptor.CreatePathDescriptor("earnings", "accruals"));
        var batches = await ReadAsync(flight, info.Endpoints.Single().Ticket);

        var expected = await GrainAccrualsAsync();
        Assert.Equal(status.AccrualRows, info.TotalRecords);
        Assert.Equal(expected.Count, batches.Sum(b => (long)b.Length));
        Assert.True(expected.Count > 3 * PageRows, $"The workload should span several pages; it has {expected.Count} rows.");
        Assert.All(batches, b => Assert.True(b.Length <= PageRows));
        var row = 0;
        foreach (var batch in batches)
        {
            Assert.Equal(EarningsTables.AccrualsSchema.FieldsList.Select(f => (f.Name, f.DataType.TypeId)), batch.Schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId)));
            var wei = (Decimal128Array)batch.Column("wei");
            for (var i = 0; i < batch.Length; i++, row++)
            {
                var e = expected[row];
                Assert.Equal(e.InferenceId, Text(batch, "inference_id", i));
                Assert.Equal(e.Epoch, ((Int64Array)batch.Column("epoch")).GetValue(i));
                Assert.Equal(e.At.UtcTicks / 10 * 10, ((TimestampArray)batch.Column("at")).GetTimestamp(i)!.Value.UtcTicks);
                Assert.Equal(e.Agent, Text(batch, "agent", i));
                Assert.Equal(e.ModelId, Text(batch, "model_id", i));
                Assert.Equal(e.AdapterId, Text(batch, "adapter_id", i));
                Assert.Equal(e.Recipient, Text(batch, "recipient", i));
                Assert.Equal(e.Role, Text(batch, "role", i));
                // Arrow's own decimal reading, not the grid's.
                Assert.Equal(e.Wei, wei.GetString(i));
                Assert.Equal(e.DatanetId, Text(batch, "datanet_id", i));
            }
        }
        // At least one page boundary falls inside an inference's rows, and the rows on both sides still match.
        Assert.Contains(Enumerable.Range(1, (expected.Count - 1) / PageRows), k => expected[(k * PageRows) - 1].InferenceId == expected[k * PageRows].InferenceId);
        Assert.Contains(expected, r => r.Wei.Length >= 37);
        Assert.Contains(expected, r => BigInteger.Parse(r.Wei, CultureInfo.InvariantCulture) > ulong.MaxValue);
    }

    [Fact]
    public async Task ListFlights_names_the_three_tables_with_schemas_and_counts_and_accounts_and_epochs_match_the_grain()
    {
        await FeedAsync();
        await using var host = await StartAsync();
        using var channel = Channel(host);
        var flight = new FlightClient(channel);

        var listed = new List<FlightInfo>();
        using (var call = flight.ListFlights(new FlightCriteria()))
        {
            while (await call.ResponseStream.MoveNext())
            {
                listed.Add(call.ResponseStream.Current);
            }
        }

        var status = await Earnings.Status();
        var epochs = await Earnings.Epochs();
        Assert.Equal(["earnings/accruals", "earnings/accounts", "earnings/epochs"], listed.Select(i => string.Join('/', i.Descriptor.Paths)));
        Assert.Equal([status.AccrualRows, status.Accounts, epochs.Count], listed.Select(i => i.TotalRecords));
        foreach (var info in listed)
        {
            var schema = EarningsTables.SchemaOf(info.Descriptor.Paths.Last());
            Assert.Equal(schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId, f.IsNullable)), info.Schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId, f.IsNullable)));
        }

        var accounts = (await ReadAsync(flight, listed[1].Endpoints.Single().Ticket)).SelectMany(AccountRows).ToList();
        var grainAccounts = new List<AccountEarningsView>();
        for (var offset = 0; ; offset += IEarningsGrain.MaxPageRows)
        {
            var page = await Earnings.AccountRows(offset, IEarningsGrain.MaxPageRows);
            grainAccounts.AddRange(page);
            if (page.Count < IEarningsGrain.MaxPageRows)
            {
                break;
            }
        }
        Assert.Equal(grainAccounts, accounts);
        Assert.Contains(accounts, a => a.ClaimedWei != "0");

        var epochRows = (await ReadAsync(flight, listed[2].Endpoints.Single().Ticket)).SelectMany(EpochRows).ToList();
        Assert.Equal(epochs, epochRows);
        Assert.Contains(epochRows, e => e.PostedWei is null);
        Assert.Contains(epochRows, e => e.PostedWei is not null);
    }

    [Theory]
    [InlineData(EarningsFileFormat.Arrow)]
    [InlineData(EarningsFileFormat.Parquet)]
    public async Task Exported_files_read_by_an_independent_reader_hold_the_grains_totals_to_the_wei(EarningsFileFormat format)
    {
        await FeedAsync();
        await using var host = await StartAsync();
        using var client = new EarningsFlightClient(host.Address);
        var folder = Directory.CreateTempSubdirectory("openledger-earnings-export").FullName;
        var status = await Earnings.Status();
        var epochs = await Earnings.Epochs();
        BigInteger Sum(Func<EpochEarningsView, string?> amount) => epochs.Aggregate(BigInteger.Zero, (s, e) => s + Wei(amount(e) ?? "0"));
        try
        {
            var accruals = await ExportAndReadAsync(client, EarningsTables.Accruals, format, folder);
            var accounts = await ExportAndReadAsync(client, EarningsTables.Accounts, format, folder);
            var epochFile = await ExportAndReadAsync(client, EarningsTables.Epochs, format, folder);

            Assert.Equal(status.AccrualRows, accruals.Rows);
            Assert.Equal(Sum(e => e.FeesWei), Wei(accruals.Sums["wei"]));
            Assert.Equal(status.Accounts, accounts.Rows);
            Assert.Equal(Sum(e => e.AccruedWei), Wei(accounts.Sums["accrued_wei"]));
            Assert.Equal(Sum(e => e.PostedWei), Wei(accounts.Sums["posted_wei"]));
            Assert.Equal(Wei(accounts.Sums["posted_wei"]) - Wei(accounts.Sums["claimed_wei"]), Wei(accounts.Sums["claimable_wei"]));
            Assert.Equal(epochs.Count, epochFile.Rows);
            Assert.Equal(Sum(e => e.FeesWei), Wei(epochFile.Sums["fees_wei"]));
            Assert.Equal(Sum(e => e.BurnedWei), Wei(epochFile.Sums["burned_wei"]));
            Assert.Equal(epochs.Count(e => e.PostedWei is null), epochFile.Nulls["posted_wei"]);
            Assert.Equal(Sum(e => e.PostedWei), Wei(epochFile.Sums["posted_wei"]));

            var wei = accruals.Schema.Single(c => c.Name == "wei");
            Assert.Equal(("Decimal[38e0]", 38, 0, 128), (wei.Type, wei.Precision, wei.Scale, wei.BitWidth));
            Assert.Equal("Timestamp<MICROSECOND, UTC>", accruals.Schema.Single(c => c.Name == "at").Type);
            Assert.Equal("earnings.accruals", accruals.Metadata["openledger.table"]);
            if (format == EarningsFileFormat.Parquet)
            {
                Assert.Equal("parquet", accruals.Format);
                Assert.Equal(("FIXED_LEN_BYTE_ARRAY", 16, "DECIMAL", 38, 0), Annotation(accruals, "wei"));
                Assert.Equal(("FIXED_LEN_BYTE_ARRAY", 16, "DECIMAL", 38, 0), Annotation(epochFile, "posted_wei"));
                Assert.Equal("OPTIONAL", epochFile.ParquetColumns!.Single(c => c.Name == "posted_wei").Repetition);
                Assert.Equal("TIMESTAMP", accruals.ParquetColumns!.Single(c => c.Name == "at").Logical);
            }
            else
            {
                Assert.Equal("arrow-ipc-file", accruals.Format);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_table_is_not_found_naming_the_tables_that_exist_and_no_file_is_left()
    {
        await using var host = await StartAsync();
        using var channel = Channel(host);
        var flight = new FlightClient(channel);

        var info = await Assert.ThrowsAsync<RpcException>(async () => await flight.GetInfo(FlightDescriptor.CreatePathDescriptor("earnings", "payouts")));
        var get = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(flight, new FlightTicket("earnings/payouts")));

        foreach (var error in new[] { info, get })
        {
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
            Assert.Contains("'payouts'", error.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("accruals, accounts, epochs", error.Status.Detail, StringComparison.Ordinal);
            Assert.Equal("unknown_earnings_table", error.Trailers.GetValue(EarningsTableException.CodeTrailer));
        }
        using var client = new EarningsFlightClient(host.Address);
        var path = Path.Combine(Path.GetTempPath(), $"payouts-{Guid.NewGuid():N}.parquet");
        var typed = await Assert.ThrowsAsync<UnknownEarningsTableException>(() => EarningsFileExport.WriteAsync(client, "payouts", EarningsFileFormat.Parquet, path));
        Assert.Equal("payouts", typed.Table);
        Assert.False(File.Exists(path) || File.Exists(path + ".partial"));
    }

    private async Task<EarningsFlightHost> StartAsync() =>
        await EarningsFlightHost.StartAsync(new GrainEarningsTables(grid.Cluster.Client, PageRows), new IPEndPoint(IPAddress.Loopback, 0));

    private static GrpcChannel Channel(EarningsFlightHost host) =>
        GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { MaxReceiveMessageSize = null });

    // The seeded history goes to the grain once per cluster, through the same feed billing and settlement use.
    private async Task FeedAsync()
    {
        await _feeding.WaitAsync();
        try
        {
            if (!_fed.Add(grid.ServiceId))
            {
                return;
            }
            var feed = grid.Cluster.Client.GetGrain<IEarningsFeedGrain>(IEarningsGrain.Key);
            foreach (var earningsEvent in EarningsTableWorkload.Generate(seed: 1_126, inferences: 750))
            {
                await feed.Record(EarningsEventJson.Write(earningsEvent));
            }
        }
        finally
        {
            _feeding.Release();
        }
    }

    private async Task<List<AccrualRow>> GrainAccrualsAsync()
    {
        var rows = new List<AccrualRow>();
        for (long offset = 0; ; offset += IEarningsGrain.MaxPageRows)
        {
            var page = await Earnings.AccrualRows(offset, IEarningsGrain.MaxPageRows);
            rows.AddRange(page);
            if (page.Count < IEarningsGrain.MaxPageRows)
            {
                return rows;
            }
        }
    }

    private static async Task<List<RecordBatch>> ReadAsync(FlightClient flight, FlightTicket ticket)
    {
        var batches = new List<RecordBatch>();
        using var call = flight.GetStream(ticket);
        while (await call.ResponseStream.MoveNext())
        {
            batches.Add(call.ResponseStream.Current);
        }
        return batches;
    }

    private static async Task<EarningsFileReport> ExportAndReadAsync(EarningsFlightClient client, string table, EarningsFileFormat format, string folder)
    {
        var summary = await EarningsFileExport.WriteAsync(client, table, format, Path.Combine(folder, $"{table}.{format.ToString().ToLowerInvariant()}"));
        Assert.Equal(new FileInfo(summary.Path).Length, summary.Bytes);
        var report = await IndependentEarningsReader.ReadAsync(summary.Path);
        Assert.Equal(summary.Rows, report.Rows);
        return report;
    }

    private static IEnumerable<AccountEarningsView> AccountRows(RecordBatch batch) =>
        Enumerable.Range(0, batch.Length).Select(i => new AccountEarningsView(Text(batch, "account", i)!,
            Amount(batch, "accrued_wei", i)!, Amount(batch, "posted_wei", i)!, Amount(batch, "claimed_wei", i)!, Amount(batch, "claimable_wei", i)!));

    private static IEnumerable<EpochEarningsView> EpochRows(RecordBatch batch) =>
        Enumerable.Range(0, batch.Length).Select(i => new EpochEarningsView(((Int64Array)batch.Column("epoch")).GetValue(i)!.Value,
            Amount(batch, "fees_wei", i)!, Amount(batch, "accrued_wei", i)!, Amount(batch, "burned_wei", i)!,
            ((Int64Array)batch.Column("inferences")).GetValue(i)!.Value, Amount(batch, "posted_wei", i)));

    private static (string, int?, string?, int?, int?) Annotation(EarningsFileReport report, string column)
    {
        var c = report.ParquetColumns!.Single(p => p.Name == column);
        return (c.Physical, c.Length, c.Logical, c.Precision, c.Scale);
    }

    private static string? Text(RecordBatch batch, string column, int row) => ((StringArray)batch.Column(column)).GetString(row);

    private static string? Amount(RecordBatch batch, string column, int row)
    {
        var values = (Decimal128Array)batch.Column(column);
        return values.IsNull(row) ? null : values.GetString(row);
    }

    private static BigInteger Wei(string wei) => BigInteger.Parse(wei, CultureInfo.InvariantCulture);
}
