using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using OpenLedger.Client;
using OpenLedger.Client.Agents;
using OpenLedger.Client.OpenAi;
using OpenLedger.Economy;
using OpenLedger.Economy.Fees;
using OpenLedger.Errors;

namespace OpenLedger.Testing;

/// <summary>
/// A mixed workload against an <see cref="AgentStack"/>, as `./openledger bench load` and the long load test run it:
/// inference over HTTP from several agents (their own keys, through the SDK without retries, so every refusal is
/// seen), signed contributions to an open Datanet through the SDK over the gateway, and queries (the earnings and grid
/// read APIs over HTTP, and SDK reads). Afterwards <see cref="CheckAsync"/> proves nothing accepted was lost: every
/// agent was charged exactly its answered calls, every accepted contribution is stored, and the silo's counters agree
/// with what the clients saw.
/// </summary>
public sealed class LoadDriver : IAsyncDisposable
{
    private const string Prompt = "title: Beaconing from build server\ncategory: malware\n";
    private static readonly OpenAiSampling _sampling = new(MaxTokens: 8);
    private static readonly AgentClientOptions _noRetries = new() { MaxRetries = 0, Timeout = TimeSpan.FromSeconds(60) };

    // Calls a client keeps outstanding at most; past it the client itself is the bottleneck, which is counted.
    private const int ClientBacklog = 2000;

    private readonly AgentStack _stack;
    private readonly List<AgentClient> _agents;
    private readonly HttpClient _operator;
    private readonly HttpClient _public;
    private readonly string _datanet;
    private readonly ContributorKey[] _contributors;
    private readonly ConcurrentDictionary<string, BigInteger> _charges = new(StringComparer.OrdinalIgnoreCase);
    private long _contributed;
    private long _sequence;

    private LoadDriver(AgentStack stack, List<AgentClient> agents, HttpClient operatorHttp, string datanet, ContributorKey[] contributors)
    {
        _stack = stack;
        _agents = agents;
        _operator = operatorHttp;
        _public = stack.Http(null);
        _datanet = datanet;
        _contributors = contributors;
    }

    /// <summary>The phases run so far, with what each kind of operation did in them.</summary>
    public List<(LoadShape Shape, IReadOnlyDictionary<string, LoadTally> Kinds, double Seconds)> Phases { get; } = [];

    /// <summary>The operation kinds, as reported.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["inference (HTTP)", "contribution (SDK)", "query (HTTP)", "query (SDK)"];

    /// <summary>
    /// A grid for a load run: the agents' own limits raised so that only the silo's bound of
    /// <paramref name="maxQueuedRequests"/> inference requests refuses, and <paramref name="operatorKey"/> for grid reads.
    /// </summary>
    public static AgentStack Stack(int agents, string operatorKey, int maxQueuedRequests) => new(accounts: agents + 8, settings:
    [
        $"--OpenLedger:Agents:Keys:0={operatorKey}",
        "--OpenLedger:Agents:RequestsPerSecond=100000", "--OpenLedger:Agents:TokensPerSecond=100000000", "--OpenLedger:Agents:Concurrency=100000",
        $"--OpenLedger:Serving:MaxQueuedRequests={maxQueuedRequests}",
    ]);

    /// <summary>
    /// Stakes and funds <paramref name="agents"/> agents and registers a key for each, and makes an open Datanet for
    /// the contributions. <paramref name="operatorKey"/> must be one of the silo's operator keys (for grid reads).
    /// </summary>
    public static async Task<LoadDriver> PrepareAsync(AgentStack stack, int agents, string operatorKey)
    {
        var clients = new List<AgentClient>();
        for (var i = 0; i < agents; i++)
        {
            var account = await stack.AgentAsync(stake: 100 * AgentStack.Open, deposit: 50 * AgentStack.Open);
            clients.Add(await AgentClient.RegisterAsync(stack.Url, account.PrivateKey, $"load-{i}", _noRetries));
        }
        var owner = ContributorKey.Generate();
        var datanet = SampleDatanets.NewId("load");
        await stack.Grid.Datanets.CreateAsync(datanet, owner.Address, SampleDatanets.Open());
        var contributors = Enumerable.Range(0, 4).Select(_ => ContributorKey.Generate()).ToArray();
        return new LoadDriver(stack, clients, stack.Http(operatorKey), datanet, contributors);
    }

    /// <summary>Runs one phase and keeps its tallies in <see cref="Phases"/>.</summary>
    public async Task<IReadOnlyDictionary<string, LoadTally>> RunAsync(LoadShape shape)
    {
        var kinds = Kinds.ToDictionary(k => k, _ => new LoadTally());
        var operations = new Func<int, Task>[]
        {
            n => InferAsync(n, kinds[Kinds[0]]),
            n => ContributeAsync(kinds[Kinds[1]]),
            n => QueryHttpAsync(n, kinds[Kinds[2]]),
            n => QuerySdkAsync(n, kinds[Kinds[3]]),
        };
        var rates = new[] { shape.InferenceRate, shape.ContributionRate, shape.QueryRate, shape.QueryRate };
        var workers = new[] { shape.Workers.Inference, shape.Workers.Contributions, shape.Workers.Queries, shape.Workers.Queries };
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(operations.Select((operation, k) => rates[k] is { } rate
            ? OpenLoopAsync(operation, rate, shape.Duration, clock, kinds[Kinds[k]])
            : ClosedLoopAsync(operation, workers[k], shape.Duration, clock)));
        var seconds = clock.Elapsed.TotalSeconds;   // the phase's sending time plus draining what it sent
        Phases.Add((shape, kinds, seconds));
        return kinds;
    }

    /// <summary>
    /// What the silo says after the run: its bound, the most requests it held at once, what it holds now and the
    /// refusals it counted; and whether every agent's charges and the Datanet's count match what was answered.
    /// </summary>
    public async Task<LoadCheck> CheckAsync()
    {
        var mismatched = new List<string>();
        foreach (var agent in _agents)
        {
            var address = agent.Address!.ToLowerInvariant();
            var expected = _charges.GetValueOrDefault(address, BigInteger.Zero);
            var balance = await Poll.UntilAsync(() => _stack.Grid.Cluster.GetGrain<IAgentAccountGrain>(address).Balance(),
                b => b.ReservedWei == "0" && BigInteger.Parse(b.UnsettledWei, CultureInfo.InvariantCulture) == expected, TimeSpan.FromMinutes(3));
            if (balance.ReservedWei != "0" || BigInteger.Parse(balance.UnsettledWei, CultureInfo.InvariantCulture) != expected)
            {
                mismatched.Add($"{address}: charged {balance.UnsettledWei} wei (reserved {balance.ReservedWei}), its answers cost {expected}");
            }
        }
        var stored = (await _stack.Grid.Datanets.GetAsync(_datanet)).Counts.Total;
        var metrics = await _public.GetStringAsync("metrics");
        var admitted = await Poll.UntilAsync(async () => Sample(await _public.GetStringAsync("metrics"), "openledger_serving_admitted"), held => held == 0);
        return new LoadCheck(
            (int)Sample(metrics, "openledger_serving_admission_capacity"), (int)Sample(metrics, "openledger_serving_admitted_peak"), (int)admitted,
            (long)Sample(metrics, "openledger_serving_overload_refusals_total"), mismatched, Interlocked.Read(ref _contributed), stored);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _agents.ForEach(a => a.Dispose());
        _operator.Dispose();
        _public.Dispose();
        return ValueTask.CompletedTask;
    }

    // Calls go out on schedule: every few milliseconds, as many as are due since the phase began.
    private static async Task OpenLoopAsync(Func<int, Task> operation, double rate, TimeSpan duration, Stopwatch clock, LoadTally tally)
    {
        var inFlight = new List<Task>();
        var sent = 0;
        while (clock.Elapsed < duration)
        {
            var due = (int)(clock.Elapsed.TotalSeconds * rate);
            inFlight.RemoveAll(t => t.IsCompleted);
            for (; sent < due; sent++)
            {
                if (inFlight.Count >= ClientBacklog)
                {
                    tally.Fail("client backlog full");
                    continue;
                }
                inFlight.Add(operation(sent));
            }
            await Task.Delay(5);
        }
        await Task.WhenAll(inFlight);
    }

    private static Task ClosedLoopAsync(Func<int, Task> operation, int workers, TimeSpan duration, Stopwatch clock) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            for (var n = w; clock.Elapsed < duration; n += workers)
            {
                await operation(n);
            }
        }));

    private async Task InferAsync(int n, LoadTally tally)
    {
        var agent = _agents[n % _agents.Count];
        var started = Stopwatch.GetTimestamp();
        try
        {
            var answer = await agent.CompleteAsync(_stack.Model, Prompt, _sampling);
            tally.Answered(started);
            var fee = InferenceFee.Compute(answer.Usage!.PromptTokens + answer.Usage.CompletionTokens, AgentStack.PricePer1k);
            _charges.AddOrUpdate(agent.Address!.ToLowerInvariant(), fee, (_, sum) => sum + fee);
        }
        catch (RateLimitedException refused) when (refused.IsServerOverloaded)
        {
            tally.Refuse(refused.RetryAfter);
        }
        catch (OpenAiApiException error)
        {
            tally.Fail($"{error.Status} {error.Code}");
        }
        catch (Exception error) when (error is HttpRequestException or TimeoutException)
        {
            tally.Fail(error.GetType().Name);
        }
    }

    private async Task ContributeAsync(LoadTally tally)
    {
        var n = Interlocked.Increment(ref _sequence);
        var key = _contributors[n % _contributors.Length];
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _stack.Grid.Datanets.ContributeAsync(key, _datanet, SampleDatanets.Records(2, $"load {n}"), SampleDatanets.Licence);
            tally.Answered(started);
            Interlocked.Increment(ref _contributed);
        }
        catch (OpenLedgerException error)
        {
            tally.Fail(error.Code);
        }
        catch (TimeoutException error)
        {
            tally.Fail(error.GetType().Name);
        }
    }

    // The analysts' and the dashboard's reads, in turn.
    private async Task QueryHttpAsync(int n, LoadTally tally)
    {
        var agent = _agents[n % _agents.Count].Address!.ToLowerInvariant();
        var (http, path) = (n % 4) switch
        {
            0 => (_public, $"v1/earnings/agents/{agent}"),
            1 => (_public, "v1/earnings/status"),
            2 => (_operator, $"v1/grid/datanets/{_datanet}?limit=10"),
            _ => (_operator, "v1/grid/cluster"),
        };
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            if (response.IsSuccessStatusCode)
            {
                tally.Answered(started);
            }
            else
            {
                tally.Fail($"{(int)response.StatusCode} GET {path.Split('/')[1]}/{path.Split('/')[2]}");
            }
        }
        catch (HttpRequestException error)
        {
            tally.Fail(error.GetType().Name);
        }
    }

    // An agent's own status through the SDK, and the Datanet and an agent's earnings through the gateway.
    private async Task QuerySdkAsync(int n, LoadTally tally)
    {
        var agent = _agents[n % _agents.Count];
        var started = Stopwatch.GetTimestamp();
        try
        {
            _ = (n % 3) switch
            {
                0 => (object)await agent.StatusAsync(),
                1 => await _stack.Grid.Datanets.GetAsync(_datanet),
                _ => await _stack.Grid.Earnings.TotalsAsync(EarningsGrouping.Agent, agent.Address!.ToLowerInvariant()),
            };
            tally.Answered(started);
        }
        catch (RateLimitedException refused) when (refused.IsServerOverloaded)
        {
            tally.Refuse(refused.RetryAfter);
        }
        catch (OpenAiApiException error)
        {
            tally.Fail($"{error.Status} {error.Code}");
        }
        catch (OpenLedgerException error)
        {
            tally.Fail(error.Code);
        }
    }

    // One unlabelled sample of a Prometheus page; 0 when the family is not there yet.
    private static double Sample(string page, string name) => page.Split('\n')
        .Where(line => line.StartsWith(name + " ", StringComparison.Ordinal))
        .Select(line => double.Parse(line[(name.Length + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture))
        .FirstOrDefault();
}

/// <summary>What a load run left behind, from the silo and the ledger.</summary>
/// <param name="Bound">The silo's bound on inference requests held at once.</param>
/// <param name="Peak">The most it held at once.</param>
/// <param name="HeldAfter">What it holds once the clients are done (0: nothing stuck).</param>
/// <param name="RefusalsCounted">The refusals for the bound the silo counted.</param>
/// <param name="ChargeMismatches">Agents whose charges differ from their answered calls, to the wei; empty when none.</param>
/// <param name="ContributionsAccepted">Contributions the clients got a receipt for.</param>
/// <param name="ContributionsStored">Contributions the Datanet holds.</param>
public sealed record LoadCheck(int Bound, int Peak, int HeldAfter, long RefusalsCounted, IReadOnlyList<string> ChargeMismatches,
    long ContributionsAccepted, long ContributionsStored);
