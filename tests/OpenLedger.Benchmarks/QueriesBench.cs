using System.Diagnostics;
using System.Net;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Net.Client;
using OpenLedger.Client.Export;
using OpenLedger.Economy.Earnings;
using OpenLedger.Silo.Flight;

namespace OpenLedger.Benchmarks;

/// <summary>
/// `./openledger bench queries`: the analysts' read model at 100,000 contributors and 1,000,000 accruals, side by
/// side in one run. A contributor's earnings (Account + History + the first page of Behind) from the
/// <see cref="EarningsIndex"/> against the same answer recomputed by scanning every accrual (answers checked equal
/// first); then Arrow Flight throughput, reading the whole accruals table over loopback with the Flight client, and
/// exports of it to Arrow and Parquet files. The Flight endpoint serves the index directly
/// (<see cref="IndexEarningsTables"/>) rather than through a silo and the earnings grain, so the figure is the
/// endpoint's conversion and transport, not grain paging. The issue sets no numeric target.
/// </summary>
public static class QueriesBench
{
    private const int Seed = 20_261_125;
    private const int Warmup = 50;
    private const int Samples = 1_000;
    private const int FlightReads = 5;
    private const int ExportRuns = 3;

    /// <summary>Runs the suite and returns its figures.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        void Progress(string what) => Console.Error.WriteLine($"queries bench [{clock.Elapsed.TotalSeconds,5:0}s] {what}");
        var figures = new List<BenchFigure> { new("load average (1 min) at start", AttributionBench.LoadAverage(), "runnable") };

        Progress($"generating {EarningsQueryWorkload.Contributors:N0} contributors and {EarningsQueryWorkload.Accruals:N0} accruals (seed {Seed})");
        var workload = EarningsQueryWorkload.Generate(Seed);
        Progress($"applying {workload.Events.Count:N0} events to the index");
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var build = Stopwatch.StartNew();
        var index = new EarningsIndex();
        foreach (var e in workload.Events)
        {
            index.Apply(e);
        }
        build.Stop();
        var indexBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        var scan = new ScannedEarnings(workload.Events);
        figures.Add(new BenchFigure("accrual rows", index.AccrualRows, "rows"));
        figures.Add(new BenchFigure("accounts", index.Accounts, "accounts"));
        figures.Add(new BenchFigure("inferences", index.Inferences, "inferences"));
        figures.Add(new BenchFigure("index build (apply every event)", build.Elapsed.TotalSeconds, "s"));
        figures.Add(new BenchFigure("index memory (managed heap growth)", indexBytes / (1024.0 * 1024.0), "MiB"));

        Progress($"checking the index against the scan, then timing {Samples:N0} contributors each way, interleaved");
        figures.AddRange(MeasureQueries(index, scan, workload));

        Progress($"converting the accruals table to Arrow record batches in process, {FlightReads} times");
        figures.Add(await MeasureConversionAsync(index));
        Progress($"reading the accruals table over Arrow Flight {FlightReads} times");
        await using (var host = await EarningsFlightHost.StartAsync(new IndexEarningsTables(index), new IPEndPoint(IPAddress.Loopback, 0)))
        {
            figures.AddRange(await MeasureFlightAsync(host, index.AccrualRows));
            Progress($"exporting the accruals table to Arrow and Parquet, {ExportRuns} times each");
            figures.AddRange(await MeasureExportsAsync(host));
        }
        Progress("done");
        figures.Add(new BenchFigure("load average (1 min) at end", AttributionBench.LoadAverage(), "runnable"));
        figures.Add(new BenchFigure("suite runtime", clock.Elapsed.TotalSeconds, "s"));
        Console.WriteLine();
        return figures;
    }

    private static List<BenchFigure> MeasureQueries(EarningsIndex index, ScannedEarnings scan, EarningsQueryWorkload workload)
    {
        var random = new Random(Seed);
        var accounts = Enumerable.Range(0, Warmup + Samples).Select(_ => workload.ContributorAddresses[random.Next(workload.ContributorAddresses.Count)]).ToList();
        foreach (var account in accounts.Take(Warmup))
        {
            if (!ContributorEarnings.FromIndex(index, account).Equals(scan.Query(account)))
            {
                throw new InvalidOperationException($"The index and the scan disagree about {account}; the benchmark would compare different answers.");
            }
        }
        var indexed = new List<double>();
        var scanned = new List<double>();
        var lines = 0;
        foreach (var account in accounts.Skip(Warmup))
        {
            var timer = Stopwatch.StartNew();
            var fromIndex = ContributorEarnings.FromIndex(index, account);
            indexed.Add(timer.Elapsed.TotalMicroseconds);
            timer.Restart();
            var fromScan = scan.Query(account);
            scanned.Add(timer.Elapsed.TotalMicroseconds);
            if (!fromIndex.Equals(fromScan))
            {
                throw new InvalidOperationException($"The index and the scan disagree about {account}.");
            }
            lines += fromIndex.Behind.Count;
        }
        var (indexP50, indexP99) = (BenchStatistics.Median(indexed), BenchStatistics.Percentile(indexed, 0.99));
        var (scanP50, scanP99) = (BenchStatistics.Median(scanned), BenchStatistics.Percentile(scanned, 0.99));
        BenchTable.Print($"a contributor's earnings (Account + History + first {ContributorEarnings.PageLines} lines of Behind), {Samples:N0} contributors, interleaved",
        [
            ["path", "p50", "p99"],
            ["EarningsIndex", $"{indexP50:N1} µs", $"{indexP99:N1} µs"],
            [$"scan of {scan.Rows:N0} accruals", $"{scanP50 / 1000:N1} ms", $"{scanP99 / 1000:N1} ms"],
            ["scan / index", $"{scanP50 / indexP50:N0}x", $"{scanP99 / indexP99:N0}x"],
        ]);
        return
        [
            new("contributor query, index, p50", indexP50, "µs"),
            new("contributor query, index, p99", indexP99, "µs"),
            new("contributor query, scan of every accrual, p50", scanP50, "µs"),
            new("contributor query, scan of every accrual, p99", scanP99, "µs"),
            new("contributor query, scan / index, p50", scanP50 / indexP50, "x"),
            new("contributor query, scan / index, p99", scanP99 / indexP99, "x"),
            new("contributor query, Behind lines per answer (mean)", lines / (double)Samples, "lines"),
        ];
    }

    // The endpoint's own share of a read: the index's rows into record batches, with no transport.
    private static async Task<BenchFigure> MeasureConversionAsync(EarningsIndex index)
    {
        var tables = new IndexEarningsTables(index);
        var rates = new List<double>();
        for (var run = 0; run < FlightReads; run++)
        {
            var timer = Stopwatch.StartNew();
            long rows = 0;
            await foreach (var batch in tables.ReadAsync("accruals", CancellationToken.None))
            {
                using (batch)
                {
                    rows += batch.Length;
                }
            }
            rates.Add(rows / timer.Elapsed.TotalSeconds);
        }
        return new BenchFigure($"accruals into Arrow batches in process, no transport, rows per second (median of {FlightReads})", BenchStatistics.Median(rates), "rows/s");
    }

    private static async Task<List<BenchFigure>> MeasureFlightAsync(EarningsFlightHost host, long expectedRows)
    {
        using var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var flight = new FlightClient(channel);
        var rates = new List<double>();
        var seconds = new List<double>();
        long bytes = 0;
        long batches = 0;
        for (var run = 0; run < FlightReads; run++)
        {
            var timer = Stopwatch.StartNew();
            var info = await flight.GetInfo(FlightDescriptor.CreatePathDescriptor("earnings", "accruals"));
            using var call = flight.GetStream(info.Endpoints.Single().Ticket);
            long rows = 0;
            (bytes, batches) = (0, 0);
            while (await call.ResponseStream.MoveNext(default))
            {
                using var batch = call.ResponseStream.Current;
                rows += batch.Length;
                batches++;
                bytes += batch.Arrays.Sum(a => a.Data.Buffers.Sum(b => (long)b.Length));
            }
            timer.Stop();
            if (rows != expectedRows)
            {
                throw new InvalidOperationException($"Flight served {rows:N0} rows of {expectedRows:N0}.");
            }
            seconds.Add(timer.Elapsed.TotalSeconds);
            rates.Add(rows / timer.Elapsed.TotalSeconds);
        }
        var median = BenchStatistics.Median(rates);
        BenchTable.Print($"Arrow Flight DoGet of the accruals table over loopback, {FlightReads} reads",
        [
            ["figure", "value"],
            ["rows per second, median", $"{median:N0}"],
            ["reads", string.Join(" / ", rates.Select(r => $"{r:N0}"))],
            ["seconds per read, median", $"{BenchStatistics.Median(seconds):N2}"],
            ["record batches, Arrow buffer bytes per read", $"{batches:N0}, {bytes / (1024.0 * 1024.0):N0} MiB"],
        ]);
        return
        [
            new($"Flight DoGet accruals, rows per second (median of {FlightReads})", median, "rows/s"),
            new("Flight DoGet accruals, seconds per read (median)", BenchStatistics.Median(seconds), "s"),
            new("Flight DoGet accruals, Arrow buffer throughput (median)", bytes / (1024.0 * 1024.0) / BenchStatistics.Median(seconds), "MiB/s"),
            new("Flight DoGet accruals, record batches per read", batches, "batches"),
        ];
    }

    private static async Task<List<BenchFigure>> MeasureExportsAsync(EarningsFlightHost host)
    {
        var folder = Directory.CreateTempSubdirectory("openledger-bench-export").FullName;
        var figures = new List<BenchFigure>();
        var rows = new List<string[]> { new[] { "format", "rows/s (median)", "seconds", "file" } };
        try
        {
            using var client = new EarningsFlightClient(host.Address);
            foreach (var format in new[] { EarningsFileFormat.Arrow, EarningsFileFormat.Parquet })
            {
                var seconds = new List<double>();
                EarningsExportSummary? summary = null;
                for (var run = 0; run < ExportRuns; run++)
                {
                    var timer = Stopwatch.StartNew();
                    summary = await EarningsFileExport.WriteAsync(client, "accruals", format, Path.Combine(folder, $"accruals.{format.ToString().ToLowerInvariant()}"));
                    seconds.Add(timer.Elapsed.TotalSeconds);
                }
                var median = BenchStatistics.Median(seconds);
                var name = format.ToString().ToLowerInvariant();
                figures.Add(new BenchFigure($"export accruals to {name} over Flight, rows per second (median of {ExportRuns})", summary!.Rows / median, "rows/s"));
                figures.Add(new BenchFigure($"export accruals to {name}, file size", summary.Bytes / (1024.0 * 1024.0), "MiB"));
                rows.Add([name, $"{summary.Rows / median:N0}", $"{median:N2}", $"{summary.Bytes / (1024.0 * 1024.0):N1} MiB"]);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        BenchTable.Print("`openledger export earnings` of the accruals table (Flight read + file write)", rows);
        return figures;
    }
}
