using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using OpenLedger.Client.Agents;
using OpenLedger.Client.OpenAi;
using OpenLedger.Cluster.Tests.Monitoring;
using OpenLedger.Economy;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Cluster.Tests;

/// <summary>
/// A flood of inference from many agents at once, each within its own limits, against the silo's bound on the requests
/// it holds (<see cref="AgentGrid.MaxQueuedRequests"/>): the surplus is refused with 429 <c>server_overloaded</c>,
/// <c>Retry-After</c> and OpenAI's error shape (a typed exception in the SDK, over HTTP and over the gateway), every
/// accepted request is answered, the silo never held more than its bound, refusals are never charged, and the silo
/// serves normally right after.
/// </summary>
[Collection(AgentGridCollection.Name)]
public sealed class ServingOverloadTests(AgentGrid grid)
{
    private const int Agents = 6;
    private const int RawPerAgent = 24;
    private const int SdkPerAgent = 6;
    private const int GatewayCalls = 12;
    private const string Prompt = "title: Beaconing from build server\ncategory: malware\n";
    private static readonly OpenAiSampling _sampling = new(MaxTokens: 12);
    private static readonly AgentClientOptions _noRetries = new() { MaxRetries = 0 };

    [Fact]
    public async Task A_flood_from_many_agents_is_refused_past_the_bound_typed_and_uncharged_and_every_accepted_call_is_answered()
    {
        var agents = new List<AgentClient>();
        for (var i = 0; i < Agents; i++)
        {
            var account = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 5 * AgentGrid.Open);
            agents.Add(await AgentClient.RegisterAsync(grid.Url, account.PrivateKey, $"flood-{i}", _noRetries));
        }
        using var metrics = grid.Http(AgentGrid.OperatorKey);   // this grid keeps /metrics behind the operator key
        var before = await ScrapeAsync(metrics);
        var https = agents.Select(a => grid.Http(a.ApiKey)).ToList();
        await using var gateway = AgentClient.ConnectGateway(grid.Grid.Cluster, agents[0].ApiKey, options: _noRetries);

        var charged = new ConcurrentDictionary<string, BigInteger>(StringComparer.OrdinalIgnoreCase);
        var overloaded = 0;
        var answered = 0;
        var unexpected = new ConcurrentBag<string>();
        void Charge(string address, int tokens)
        {
            var fee = InferenceFee.Compute(tokens, AgentGrid.PricePer1k);
            charged.AddOrUpdate(address, fee, (_, sum) => sum + fee);
            Interlocked.Increment(ref answered);
        }

        // Everyone starts together, so the silo meets the whole flood at once.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var raw = agents.SelectMany((agent, i) => Enumerable.Range(0, RawPerAgent).Select(async _ =>
        {
            await start.Task;
            using var response = await https[i].PostAsJsonAsync("v1/completions", new { model = grid.Model, prompt = Prompt, max_tokens = _sampling.MaxTokens });
            var body = await response.Content.ReadAsStringAsync();
            using var json = JsonDocument.Parse(body);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Charge(agent.Address!, json.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32());
            }
            else if (response.StatusCode == HttpStatusCode.TooManyRequests && json.RootElement.GetProperty("error").GetProperty("code").GetString() == AgentErrors.ServerOverloaded)
            {
                var error = json.RootElement.GetProperty("error");
                Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
                Assert.Contains("not charged", error.GetProperty("message").GetString(), StringComparison.Ordinal);
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "A refusal for the silo's bound says when to come back.");
                Interlocked.Increment(ref overloaded);
            }
            else
            {
                unexpected.Add($"{(int)response.StatusCode} {body}");
            }
        }));
        var sdk = agents.SelectMany(agent => Enumerable.Range(0, SdkPerAgent).Select(_ => Call(agent, agent.Address!)))
            .Concat(Enumerable.Range(0, GatewayCalls).Select(_ => Call(gateway, agents[0].Address!)));
        async Task Call(AgentClient client, string address)
        {
            await start.Task;
            try
            {
                var answer = await client.CompleteAsync(grid.Model, Prompt, _sampling);
                Charge(address, answer.Usage!.TotalTokens);
            }
            catch (RateLimitedException refused) when (refused.IsServerOverloaded)
            {
                Assert.Equal(429, refused.Status);
                Assert.True(refused.RetryAfter >= TimeSpan.FromSeconds(1), $"The typed refusal carries the wait (over {(client.OverGateway ? "the gateway" : "HTTP")}).");
                Interlocked.Increment(ref overloaded);
            }
            catch (OpenAiApiException other)
            {
                unexpected.Add($"{other.Status} {other.Code} {other.Message}");
            }
        }
        var flood = raw.Concat(sdk).ToList();
        start.SetResult();
        await Task.WhenAll(flood);

        Assert.Empty(unexpected);
        Assert.Equal(flood.Count, answered + overloaded);
        Assert.True(overloaded > 0, $"None of {flood.Count} requests sent at once met the bound of {AgentGrid.MaxQueuedRequests}.");
        Assert.True(answered >= AgentGrid.MaxQueuedRequests, $"Only {answered} of {flood.Count} were served; the bound admits {AgentGrid.MaxQueuedRequests} at once.");

        // The silo never held more than its bound, counted every refusal, and holds nothing once the flood is over.
        var after = await Poll.UntilAsync(() => ScrapeAsync(metrics), s => Gauge(s, "openledger_serving_admitted") == 0);
        Assert.Equal(0, Gauge(after, "openledger_serving_admitted"));
        Assert.Equal(AgentGrid.MaxQueuedRequests, Gauge(after, "openledger_serving_admission_capacity"));
        // A refusal means every place was taken at that moment, so the peak is the bound itself, never more.
        Assert.Equal(AgentGrid.MaxQueuedRequests, Gauge(after, "openledger_serving_admitted_peak"));
        Assert.Equal(overloaded, Gauge(after, "openledger_serving_overload_refusals_total") - Gauge(before, "openledger_serving_overload_refusals_total"));

        // Each agent is charged exactly its answered calls' tokens x price, to the wei; refusals cost nothing and
        // were no warning against the agent.
        foreach (var agent in agents)
        {
            var address = agent.Address!.ToLowerInvariant();
            var expected = charged.GetValueOrDefault(address, BigInteger.Zero);
            var balance = await Poll.UntilAsync(() => grid.Grid.Cluster.GetGrain<IAgentAccountGrain>(address).Balance(),
                b => b.ReservedWei == "0" && BigInteger.Parse(b.UnsettledWei, CultureInfo.InvariantCulture) == expected);
            Assert.Equal("0", balance.ReservedWei);
            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), balance.UnsettledWei);
            var paid = await Poll.UntilAsync(() => metrics.GetFromJsonAsync<EarningsTotalView>($"v1/earnings/agents/{address}"), p => p!.Wei == balance.UnsettledWei);
            Assert.Equal(balance.UnsettledWei, paid!.Wei);
            Assert.Equal(0, (await agent.StatusAsync()).Warnings);
        }

        // And it serves normally right after.
        var next = await agents[1].CompleteAsync(grid.Model, Prompt, _sampling);
        Assert.True(next.Usage!.CompletionTokens > 0);
        https.ForEach(h => h.Dispose());
        agents.ForEach(a => a.Dispose());
    }

    private static async Task<PrometheusScrape> ScrapeAsync(HttpClient http) => PrometheusScrape.Parse(await http.GetStringAsync("metrics"));

    private static double Gauge(PrometheusScrape scrape, string name) => scrape.Samples.Single(s => s.Name == name).Value;
}
