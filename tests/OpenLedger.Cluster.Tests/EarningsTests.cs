using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Nethereum.Hex.HexConvertors.Extensions;
using OpenLedger.Attribution;
using OpenLedger.Client.Agents;
using OpenLedger.Client.OpenAi;
using OpenLedger.Economy;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Cluster.Tests;

/// <summary>
/// The earnings read model against a real silo, chain and storage: after a random workload of paid calls, an epoch
/// posted and a claim made on-chain, every answer of the REST API agrees with the ledger, the settlement grain and the
/// distributor contract to the wei.
/// </summary>
[Collection(AgentGridCollection.Name)]
public sealed class EarningsTests(AgentGrid grid)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task After_a_random_workload_every_query_matches_the_ledger_and_the_chain_to_the_wei()
    {
        var random = new Random(8);
        var agents = new List<(string Address, AgentClient Client)>();
        for (var i = 0; i < 3; i++)
        {
            var account = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 5 * AgentGrid.Open);
            agents.Add((account.Address.ToLowerInvariant(), await AgentClient.RegisterAsync(grid.Url, account.PrivateKey, $"earner-{i}")));
        }
        var calls = Enumerable.Range(0, 20).Select(i => (Agent: agents[random.Next(agents.Count)], Tokens: random.Next(12, 33), Prompt: Record(random))).ToList();
        var answers = await Task.WhenAll(calls.Select(async c =>
            (c.Agent.Address, Answer: await c.Agent.Client.CompleteAsync(grid.Model, c.Prompt, new OpenAiSampling(MaxTokens: c.Tokens)))));
        // Charged only once attributed: wait for every record to name its epoch.
        foreach (var (_, answer) in answers)
        {
            await Poll.UntilAsync(() => grid.Grid.Cluster.GetGrain<IAttributionGrain>(answer.InferenceId!).Get(), r => r.Epoch is not null);
        }
        using var http = grid.Http(null);

        // What each agent paid is its answers' tokens x price, as the agent totals say.
        foreach (var (address, client) in agents)
        {
            var expected = answers.Where(a => a.Address == address)
                .Aggregate(BigInteger.Zero, (sum, a) => sum + InferenceFee.Compute(a.Answer.Usage!.TotalTokens, AgentGrid.PricePer1k));
            var paid = await GetAsync<EarningsTotalView>(http, $"/v1/earnings/agents/{address}");
            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), paid.Wei);
            client.Dispose();
        }

        var summary = await grid.Grid.Economy.CloseEpochAsync();
        var settlement = grid.Grid.Cluster.GetGrain<ISettlementGrain>(ISettlementGrain.Key);
        var epoch = await Poll.UntilAsync(() => GetAsync<IReadOnlyList<EpochEarningsView>>(http, "/v1/earnings/epochs"),
            epochs => epochs.Any(e => e.Epoch == summary.EpochId && e.PostedWei is not null));
        var closed = epoch.Single(e => e.Epoch == summary.EpochId);
        Assert.Equal(summary.DebitedWei, closed.FeesWei);
        Assert.Equal(summary.TotalWei, closed.AccruedWei);
        Assert.Equal(summary.BurnWei, closed.BurnedWei);
        Assert.Equal(summary.TotalWei, closed.PostedWei);

        // Every account: posted equals its cumulative leaf in the posted manifest, and accrued is posted plus what the
        // ledger holds unposted; the inferences behind its epoch add up to what it accrued there.
        var accounts = await grid.Grid.Cluster.GetGrain<IEarningsGrain>(IEarningsGrain.Key).AccountRows(0, IEarningsGrain.MaxPageRows);
        Assert.NotEmpty(accounts);
        foreach (var row in accounts.Where(a => a.Account != Account.Zero))
        {
            var view = await GetAsync<AccountEarningsView>(http, $"/v1/earnings/accounts/{row.Account}");
            Assert.Equal(row, view);
            var leaf = await settlement.ClaimOf(row.Account);
            Assert.Equal(leaf?.CumulativeWei ?? "0", view.PostedWei);
            Assert.Equal(Wei(view.PostedWei) + Wei(await settlement.Unposted(row.Account)), Wei(view.AccruedWei));
            var history = await GetAsync<IReadOnlyList<AccountEpochView>>(http, $"/v1/earnings/accounts/{row.Account}/epochs");
            if (history.FirstOrDefault(h => h.Epoch == summary.EpochId) is { } inEpoch)
            {
                var page = await GetAsync<EarningsInferencePage>(http, $"/v1/earnings/accounts/{row.Account}/epochs/{summary.EpochId}/inferences?limit=1000");
                Assert.Equal(inEpoch.Inferences, page.Lines.Select(l => l.InferenceId).Distinct().Count());
                Assert.Equal(Wei(inEpoch.AccruedWei), page.Lines.Aggregate(BigInteger.Zero, (sum, l) => sum + Wei(l.Wei)));
            }
        }

        // The Datanet's contributors: its total is what its ranked contributors earned, and its series adds up to it.
        // The model was trained on one Datanet, so every data contributor's part names it. The tiny model's answers
        // draw on its training data only some of the time (prompts taken from the records make it likely): when no
        // answer in the epoch credited a contributor there is no Datanet figure to check, and the test says so.
        var contributors = accounts.Where(a => a.Account != Account.Zero).ToList();
        var datanets = (await Task.WhenAll(contributors.Select(a => GetAsync<EarningsInferencePage>(http, $"/v1/earnings/accounts/{a.Account}/epochs/{summary.EpochId}/inferences?limit=1000"))))
            .SelectMany(p => p.Lines).Where(l => l.Role == nameof(AccrualRole.DataContributor))
            .Select(l => l.DatanetId).Distinct().ToList();
        Assert.True(datanets.Count <= 1, $"one Datanet trained the model, but accruals name {string.Join(", ", datanets)}");
        if (datanets.SingleOrDefault() is { } datanet)
        {
            var total = await GetAsync<EarningsTotalView>(http, $"/v1/earnings/datanets/{datanet}");
            var top = await GetAsync<IReadOnlyList<TopContributorView>>(http, $"/v1/earnings/datanets/{datanet}/top?count=1000");
            Assert.True(Wei(total.Wei) > 0);
            Assert.Equal(Wei(total.Wei), top.Aggregate(BigInteger.Zero, (sum, t) => sum + Wei(t.Wei)));
            Assert.Equal(top.OrderByDescending(t => Wei(t.Wei)).Select(t => t.Contributor), top.Select(t => t.Contributor));
            var series = await GetAsync<IReadOnlyList<EarningsTotalView>>(http, $"/v1/earnings/datanets/{datanet}/epochs");
            Assert.Equal(Wei(total.Wei), series.Aggregate(BigInteger.Zero, (sum, t) => sum + Wei(t.Wei)));
        }

        // A claim on the distributor reaches the read model from the chain: claimed equals the contract's count.
        var claimant = accounts.Where(a => a.Account != Account.Zero).OrderByDescending(a => Wei(a.PostedWei)).First().Account;
        var proof = (await settlement.ClaimOf(claimant))!;
        await grid.SendAsync(grid.Treasury, "AttributionDistributor", grid.Contracts.Distributor, "claim",
            claimant, Wei(proof.CumulativeWei), proof.Proof.Select(p => p.HexToByteArray()).ToList());
        var onChain = await grid.CallAsync<BigInteger>("AttributionDistributor", grid.Contracts.Distributor, "claimed", claimant);
        var claimed = await Poll.UntilAsync(() => GetAsync<AccountEarningsView>(http, $"/v1/earnings/accounts/{claimant}"), a => a.ClaimedWei != "0");
        Assert.Equal(onChain.ToString(CultureInfo.InvariantCulture), claimed.ClaimedWei);
        Assert.Equal(Wei(claimed.PostedWei) - onChain, Wei(claimed.ClaimableWei));

        // The accruals table pages through every charge once: its rows add up to every fee charged.
        var rows = new List<AccrualRow>();
        for (var offset = 0L; ; offset += 7)
        {
            var page = await grid.Grid.Cluster.GetGrain<IEarningsGrain>(IEarningsGrain.Key).AccrualRows(offset, 7);
            rows.AddRange(page);
            if (page.Count < 7)
            {
                break;
            }
        }
        var fees = (await GetAsync<IReadOnlyList<EpochEarningsView>>(http, "/v1/earnings/epochs")).Aggregate(BigInteger.Zero, (sum, e) => sum + Wei(e.FeesWei));
        Assert.Equal(fees, rows.Aggregate(BigInteger.Zero, (sum, r) => sum + Wei(r.Wei)));
        Assert.All(answers, a => Assert.Contains(rows, r => r.InferenceId == a.Answer.InferenceId));
    }

    [Theory]
    [InlineData("/v1/earnings/accounts/0x123", 400, "invalid_account")]
    [InlineData("/v1/earnings/accounts/0x0000000000000000000000000000000000000001/epochs/0/inferences", 400, "invalid_epoch")]
    [InlineData("/v1/earnings/accounts/0x0000000000000000000000000000000000000001/epochs/1/inferences?limit=5000", 400, "invalid_value")]
    [InlineData("/v1/earnings/planets/mars", 404, "unknown_grouping")]
    [InlineData("/v1/earnings/agents/not-an-agent", 400, "invalid_account")]
    [InlineData("/v1/earnings/datanets/d/top?count=0", 400, "invalid_value")]
    public async Task Bad_queries_get_a_typed_error_naming_the_problem(string path, int status, string code)
    {
        using var http = grid.Http(null);
        var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task The_earnings_api_is_described_by_openapi()
    {
        using var http = grid.Http(null);
        var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/v1/earnings/accounts/{account}", "/v1/earnings/accounts/{account}/epochs/{epoch}/inferences", "/v1/earnings/epochs", "/v1/earnings/{grouping}/{key}" })
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document");
            Assert.True(item.TryGetProperty("get", out _));
        }
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("AccountEarningsView", out _));
    }

    // The start of one of the Datanet's records (SampleDatanets.Records), cut before its summary: the training text
    // continues it verbatim.
    private static string Record(Random random)
    {
        var (c, i) = (random.Next(2), random.Next(6));
        return $"{{\"title\":\"Phishing wave c{c} {i}\",\"severity\":{1 + i % 5},\"observed_at\":\"2026-03-0{1 + i % 9}T10:00:00Z\",\"confirmed\":true,\"summary\":\"";
    }

    private static BigInteger Wei(string wei) => BigInteger.Parse(wei, CultureInfo.InvariantCulture);

    private static async Task<T> GetAsync<T>(HttpClient http, string path) =>
        (await http.GetFromJsonAsync<T>(new Uri(path, UriKind.Relative), _json))!;
}
