using System.Diagnostics;
using System.Text;
using OpenLedger.Client;
using OpenLedger.Datanets;

namespace OpenLedger.Benchmarks;

/// <summary>
/// Contributions accepted per second with 8 concurrent clients, each its own gateway connection and key, sending
/// signed 1 KB JSON Lines payloads to one curated Datanet. Three timed rounds after a warm-up; the median round is
/// reported, latency percentiles over all timed requests.
/// </summary>
public static class ContributionsBench
{
    private const int Clients = 8;
    private const int PayloadBytes = 1024;
    private static readonly TimeSpan _warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan _round = TimeSpan.FromSeconds(10);
    private const int Rounds = 3;

    /// <summary>Runs the suite and returns its figures.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync()
    {
        var options = GridClientOptions.FromEnvironment();
        var clients = new List<GridClient>();
        for (var i = 0; i < Clients; i++)
        {
            clients.Add(await GridClient.ConnectAsync(options));
        }
        try
        {
            var curator = ContributorKey.Generate();
            var datanet = $"bench-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}";
            var schema = new RecordSchema([new FieldSpec("title", FieldType.Text), new FieldSpec("severity", FieldType.Integer), new FieldSpec("summary", FieldType.Text)]);
            await clients[0].Datanets.CreateAsync(datanet, curator.Address,
                new DatanetSpec("Benchmark", "cybersecurity", "Contribution throughput benchmark.", "CC-BY-4.0", schema, CurationPolicy.CuratedBy(curator.Address)));
            var keys = Enumerable.Range(0, Clients).Select(_ => ContributorKey.Generate()).ToArray();
            var counter = 0L;

            async Task<List<double>> Drive(TimeSpan duration)
            {
                var stop = Stopwatch.StartNew();
                var lists = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
                {
                    var latencies = new List<double>();
                    while (stop.Elapsed < duration)
                    {
                        var payload = Payload(Interlocked.Increment(ref counter));
                        var signed = keys[c].SignContribution(datanet, payload, "CC-BY-4.0");
                        var started = Stopwatch.GetTimestamp();
                        await clients[c].Cluster.GetGrain<IDatanetGrain>(datanet).Contribute(signed);
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    return latencies;
                }));
                return lists.SelectMany(l => l).ToList();
            }

            Console.WriteLine($"warming up {_warmup.TotalSeconds:0} s");
            await Drive(_warmup);
            var rates = new List<double>();
            var all = new List<double>();
            for (var round = 1; round <= Rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                var latencies = await Drive(_round);
                var rate = latencies.Count / watch.Elapsed.TotalSeconds;
                Console.WriteLine($"round {round}: {latencies.Count} contributions, {rate:0.0}/s");
                rates.Add(rate);
                all.AddRange(latencies);
            }
            all.Sort();
            rates.Sort();
            var stored = (await clients[0].Datanets.GetAsync(datanet)).Counts.Total;
            return
            [
                new BenchFigure("contributions_per_second_8_clients_1kb", rates[Rounds / 2], "contributions/s"),
                new BenchFigure("contribution_latency_p50", BenchStatistics.Percentile(all, 0.50), "ms"),
                new BenchFigure("contribution_latency_p99", BenchStatistics.Percentile(all, 0.99), "ms"),
                new BenchFigure("contributions_stored", stored, "contributions"),
            ];
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    // A unique, valid 1 KB JSON Lines payload: a few records padded to the exact size.
    private static byte[] Payload(long n)
    {
        var head = $"{{\"title\":\"Incident {n}\",\"severity\":{1 + n % 5},\"summary\":\"";
        const string tail = "\"}\n";
        var padding = PayloadBytes - Encoding.UTF8.GetByteCount(head) - tail.Length;
        return Encoding.UTF8.GetBytes(head + new string('x', padding) + tail);
    }
}
