using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using OpenLedger.Client.Agents;
using OpenLedger.Client.OpenAi;
using OpenLedger.Economy;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Benchmarks;

/// <summary>
/// `./openledger bench agents`: a real silo process with the economy on (<see cref="AgentStack"/>: Azurite, Redis,
/// ganache with our contracts, a tiny model fine-tuned and priced), and 100 agents staked on the chain, each with its
/// own key registered through the SDK, signing every request.
/// <list type="bullet">
/// <item>Sustained throughput: the 100 agents call the priced model in closed loops for a fixed time. The baseline is
/// the same load from 100 clients holding the operator's configured key, which is checked at the door and never
/// metered. Rounds alternate between the two; medians of the rounds.</item>
/// <item>Overhead of authentication and metering: one request at a time, rotating between the operator key, an agent
/// key and an agent key with signed requests, so that the machine's noise falls on all three alike. The overhead is
/// each agent path's latency percentile less the operator's; medians of the rounds.</item>
/// </list>
/// The per-agent rate limits are raised for the run, so that it measures the checks and the metering, not refusals.
/// Afterwards every agent's charges are compared, to the wei, with tokens × price of the calls it was answered.
/// </summary>
public static class AgentsBench
{
    private const int Agents = 100;
    private const int Rounds = 3;
    private const int LatencySamples = 150;
    private const string Prompt = "title: Beaconing from build server\ncategory: malware\n";
    private static readonly TimeSpan _round = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan _warmup = TimeSpan.FromSeconds(3);
    private static readonly OpenAiSampling _sampling = new(MaxTokens: 2);
    private static readonly AgentClientOptions _noRetries = new() { MaxRetries = 0 };

    /// <summary>Runs the suite and returns its figures.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync()
    {
        var operatorKey = "op-" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        Progress("starting Azurite, Redis, ganache and a silo; fine-tuning and pricing a tiny model");
        await using var stack = new AgentStack(accounts: Agents + 8, settings:
        [
            $"--OpenLedger:Agents:Keys:0={operatorKey}",
            "--OpenLedger:Agents:RequestsPerSecond=100000", "--OpenLedger:Agents:TokensPerSecond=100000000",
        ]);
        await stack.StartAsync();
        Progress($"staking and registering {Agents} agents");
        var agents = new List<AgentClient>();
        var operators = new List<AgentClient>();
        try
        {
            for (var i = 0; i < Agents; i++)
            {
                var account = await stack.AgentAsync(stake: 100 * AgentStack.Open, deposit: 20 * AgentStack.Open);
                agents.Add(await AgentClient.RegisterAsync(stack.Url, account.PrivateKey, $"bench-{i}", _noRetries));
                operators.Add(AgentClient.Connect(stack.Url, operatorKey, options: _noRetries));
            }
            var ledger = new ConcurrentDictionary<string, BigInteger>(StringComparer.OrdinalIgnoreCase);
            var figures = new List<BenchFigure>();
            Progress("overhead of authentication and metering, one request at a time");
            await OverheadAsync(stack, agents[0], operators[0], ledger, figures);
            Progress($"sustained throughput with {Agents} agents against {Agents} operator-key clients");
            await ThroughputAsync(agents, operators, stack.Model, ledger, figures);
            Progress("checking every agent's charges to the wei");
            figures.Add(await ChargesAsync(stack, agents, ledger));
            return figures;
        }
        finally
        {
            agents.ForEach(a => a.Dispose());
            operators.ForEach(a => a.Dispose());
        }
    }

    private static async Task OverheadAsync(AgentStack stack, AgentClient signed, AgentClient operatorClient, ConcurrentDictionary<string, BigInteger> ledger,
        List<BenchFigure> figures)
    {
        using var unsigned = AgentClient.Connect(stack.Url, signed.ApiKey, options: _noRetries);
        var paths = new (string Name, AgentClient Client)[] { ("operator key", operatorClient), ("agent key", unsigned), ("agent key, signed", signed) };
        async Task<double[][]> Measure(Func<AgentClient, Task> call)
        {
            foreach (var (_, client) in paths)
            {
                await call(client);     // warm-up: connections, grain activations
            }
            var samples = paths.Select(_ => new List<double>()).ToArray();
            for (var i = 0; i < LatencySamples; i++)
            {
                // The starting path rotates too, so that no path always follows the same one.
                for (var k = 0; k < paths.Length; k++)
                {
                    var p = (i + k) % paths.Length;
                    var started = Stopwatch.GetTimestamp();
                    await call(paths[p].Client);
                    samples[p].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            return [.. samples.Select(s => s.ToArray())];
        }

        var completions = new List<double[][]>();
        var reads = new List<double[][]>();
        for (var round = 0; round < Rounds; round++)
        {
            completions.Add(await Measure(async c =>
            {
                var answer = await c.CompleteAsync(stack.Model, Prompt, _sampling);
                Charge(ledger, c == operatorClient ? null : signed.Address, answer);
            }));
            reads.Add(await Measure(c => c.ListModelsAsync()));
        }
        Report(figures, "completion", paths.Select(p => p.Name).ToArray(), completions);
        Report(figures, "GET /v1/models", paths.Select(p => p.Name).ToArray(), reads);
    }

    // Each path's p50 and p99, and each agent path's overhead over the operator key, as medians of the rounds.
    private static void Report(List<BenchFigure> figures, string what, string[] names, List<double[][]> rounds)
    {
        foreach (var (q, label) in new[] { (0.5, "p50"), (0.99, "p99") })
        {
            var latency = names.Select((_, p) => BenchStatistics.Median(rounds.Select(r => BenchStatistics.Percentile(r[p], q)))).ToArray();
            for (var p = 0; p < names.Length; p++)
            {
                figures.Add(new BenchFigure($"{what} latency {label}, {names[p]}", latency[p], "ms"));
            }
            for (var p = 1; p < names.Length; p++)
            {
                var overhead = BenchStatistics.Median(rounds.Select(r => BenchStatistics.Percentile(r[p], q) - BenchStatistics.Percentile(r[0], q)));
                figures.Add(new BenchFigure($"{what} overhead {label}, {names[p]} over operator key", overhead, "ms"));
            }
        }
    }

    private static async Task ThroughputAsync(List<AgentClient> agents, List<AgentClient> operators, string model, ConcurrentDictionary<string, BigInteger> ledger,
        List<BenchFigure> figures)
    {
        await DriveAsync(agents, model, ledger, _warmup);
        await DriveAsync(operators, model, ledger, _warmup);
        var agentRounds = new List<Load>();
        var operatorRounds = new List<Load>();
        for (var round = 0; round < Rounds; round++)
        {
            // Alternating which load goes first spreads any drift (attribution catching up, memory) over both.
            if (round % 2 == 0)
            {
                agentRounds.Add(await DriveAsync(agents, model, ledger, _round));
                operatorRounds.Add(await DriveAsync(operators, model, ledger, _round));
            }
            else
            {
                operatorRounds.Add(await DriveAsync(operators, model, ledger, _round));
                agentRounds.Add(await DriveAsync(agents, model, ledger, _round));
            }
        }
        var agentRate = BenchStatistics.Median(agentRounds.Select(r => r.PerSecond));
        var operatorRate = BenchStatistics.Median(operatorRounds.Select(r => r.PerSecond));
        figures.Add(new BenchFigure($"sustained completions/s, {agents.Count} agents (SDK, signed, metered)", agentRate, "req/s"));
        figures.Add(new BenchFigure($"sustained completions/s, {operators.Count} operator-key clients", operatorRate, "req/s"));
        figures.Add(new BenchFigure("sustained agents / operator key", agentRate / operatorRate, "x", ">= 0.9", agentRate / operatorRate >= 0.9));
        figures.Add(new BenchFigure("completion latency p99 under load, agents", BenchStatistics.Median(agentRounds.Select(r => r.P99Ms)), "ms"));
        figures.Add(new BenchFigure("completion latency p99 under load, operator key", BenchStatistics.Median(operatorRounds.Select(r => r.P99Ms)), "ms"));
        figures.Add(new BenchFigure("requests refused or failed under load", agentRounds.Concat(operatorRounds).Sum(r => r.Failed), "requests", "0", agentRounds.Concat(operatorRounds).All(r => r.Failed == 0)));
    }

    // Every client calls in a closed loop until the time is up; returns the rate, the p99 latency and the failures.
    private static async Task<Load> DriveAsync(List<AgentClient> clients, string model, ConcurrentDictionary<string, BigInteger> ledger, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async client =>
        {
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var answer = await client.CompleteAsync(model, Prompt, _sampling);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Charge(ledger, client.Address, answer);
                }
                catch (Exception e) when (e is OpenAiApiException or HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                    Console.Error.WriteLine($"  refused: {e.Message}");
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        return new Load(latencies.Count / seconds, BenchStatistics.Percentile(latencies, 0.99), failed);
    }

    // What the ledger should charge an agent for one answer: its tokens × the model's price. Operator calls are free.
    private static void Charge(ConcurrentDictionary<string, BigInteger> ledger, string? payer, OpenAiCompletionChunk answer)
    {
        if (payer is null || answer.Usage is not { } usage)
        {
            return;
        }
        var fee = InferenceFee.Compute(usage.PromptTokens + usage.CompletionTokens, AgentStack.PricePer1k);
        ledger.AddOrUpdate(payer, fee, (_, sum) => sum + fee);
    }

    private static async Task<BenchFigure> ChargesAsync(AgentStack stack, List<AgentClient> agents, ConcurrentDictionary<string, BigInteger> ledger)
    {
        var mismatched = 0;
        foreach (var agent in agents)
        {
            var grain = stack.Grid.Cluster.GetGrain<IAgentAccountGrain>(agent.Address!.ToLowerInvariant());
            var balance = await grain.Balance();
            for (var i = 0; i < 100 && balance.ReservedWei != "0"; i++)
            {
                await Task.Delay(100);
                balance = await grain.Balance();
            }
            var expected = ledger.GetValueOrDefault(agent.Address!, BigInteger.Zero);
            if (balance.ReservedWei != "0" || BigInteger.Parse(balance.UnsettledWei, CultureInfo.InvariantCulture) != expected)
            {
                mismatched++;
                Console.Error.WriteLine($"  {agent.Address}: charged {balance.UnsettledWei} wei (reserved {balance.ReservedWei}), answers cost {expected}");
            }
        }
        return new BenchFigure($"agents whose charges differ from tokens x price (of {agents.Count})", mismatched, "agents", "0", mismatched == 0);
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[agents] {message}");

    private sealed record Load(double PerSecond, double P99Ms, int Failed);
}
