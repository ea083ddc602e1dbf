using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using OpenLedger.Client.Agents;
using OpenLedger.Client.OpenAi;
using OpenLedger.Economy;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Cluster.Tests.Monitoring;

/// <summary>
/// The real silo's /metrics after real work (paid completions served, attributed, charged, and an epoch settled on the
/// chain): every metric the alert rules and the Grafana dashboard use is there, the serving, ledger, attribution and
/// settlement metrics moved by exactly what was done, and no label carries an id.
/// </summary>
[Collection(AgentGridCollection.Name)]
public sealed partial class MetricsTests(AgentGrid grid)
{
    private const double WeiPerOpen = 1e18;

    private static readonly OpenAiSampling _short = new(MaxTokens: 6);

    // The labels the grid's metrics may have: kinds and outcomes, never who or what.
    private static readonly string[] _labelNames = ["outcome", "state", "tier", "source", "status", "stage", "step", "role", "store", "operation", "le"];

    // Series that Prometheus itself makes for every target, which no silo exports.
    private static readonly string[] _prometheusSeries = ["up"];

    [Fact]
    public async Task After_paid_completions_and_a_settled_epoch_the_metrics_moved_by_the_work_and_cover_the_alerts_and_dashboard()
    {
        using var http = grid.Http(AgentGrid.OperatorKey);   // this grid keeps /metrics behind the operator key
        var before = await ScrapeAsync(http);

        var agent = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 5 * AgentGrid.Open);
        var address = agent.Address.ToLowerInvariant();
        using var client = await AgentClient.RegisterAsync(grid.Url, agent.PrivateKey, "metrics");
        var answers = new List<OpenAiCompletionChunk>
        {
            await client.CompleteAsync(grid.Model, "Incident: ", _short),
            await client.CompleteAsync(grid.Model, "Outage report: ", _short),
        };
        OpenAiCompletionChunk? last = null;
        await foreach (var piece in client.StreamChatAsync(grid.Model, [new OpenAiChatMessage("user", "Summarise the outage.")], _short))
        {
            last = piece;
        }
        answers.Add(last!);
        var fees = answers.Aggregate(BigInteger.Zero, (sum, a) => sum + InferenceFee.Compute(a.Usage!.PromptTokens + a.Usage.CompletionTokens, AgentGrid.PricePer1k));
        // Charged once attributed, in the background: the agent's account says when.
        await Poll.UntilAsync(() => grid.Grid.Cluster.GetGrain<IAgentAccountGrain>(address).Balance(),
            b => b.ReservedWei == "0" && BigInteger.Parse(b.UnsettledWei, CultureInfo.InvariantCulture) == fees);
        var epoch = await grid.Grid.Economy.CloseEpochAsync();
        Assert.Equal(EpochStage.Anchored, epoch.Stage);
        // The attribution metrics are recorded as the queue's worker finishes, just after the charge.
        var after = await Poll.UntilAsync(() => ScrapeAsync(http),
            s => Delta(before, s, "openledger_attribution_lag_seconds_count") >= answers.Count);

        // Every name the alerts and the dashboard query is exported (histograms by their _bucket, _sum and _count).
        var missing = MonitoringFiles.MetricNames().Where(n => !_prometheusSeries.Contains(n) && !after.Exports(n)).ToList();
        Assert.True(missing.Count == 0, "Not exported: " + string.Join(", ", missing));

        // Serving: one completion per answer, the tokens its usage reported, a first token and a duration each.
        var finished = Delta(before, after, "openledger_serving_completions_total", ("outcome", "stop"))
            + Delta(before, after, "openledger_serving_completions_total", ("outcome", "length"));
        Assert.Equal(answers.Count, finished);
        Assert.Equal(answers.Sum(a => a.Usage!.CompletionTokens), Delta(before, after, "openledger_serving_tokens_total"));
        Assert.Equal(answers.Count, Delta(before, after, "openledger_serving_time_to_first_token_seconds_count"));
        Assert.Equal(answers.Count, Delta(before, after, "openledger_serving_request_duration_seconds_count", ("outcome", "stop"))
            + Delta(before, after, "openledger_serving_request_duration_seconds_count", ("outcome", "length")));
        Assert.True(after.Sum("openledger_serving_adapters_resident", ("tier", "host")) >= 1);
        Assert.True(after.Sum("openledger_serving_adapter_loads_total", ("tier", "device")) >= 1);

        // Ledger: at least these fees (a call another test left may be charged meanwhile), split without loss.
        var charged = Delta(before, after, "openledger_ledger_charged_open_total");
        Assert.True(charged >= (double)fees / WeiPerOpen * (1 - 1e-9), $"charged {charged} OPEN, expected at least {(double)fees / WeiPerOpen}");
        Assert.True(Delta(before, after, "openledger_ledger_charges_total", ("outcome", "paid")) >= answers.Count);
        Assert.Equal(charged, Delta(before, after, "openledger_ledger_accrued_open_total"), charged * 1e-9);
        Assert.True(Delta(before, after, "openledger_ledger_accrued_open_total", ("role", "burn")) > 0);

        // Attribution: each answer attributed, the queue drained.
        Assert.True(Delta(before, after, "openledger_attribution_duration_seconds_count") >= answers.Count);
        Assert.True(after.Sum("openledger_attribution_queue_capacity") > 0);

        // Settlement: the epoch went through every stage once, each step's gas came from its receipt, the burn was counted.
        foreach (var stage in new[] { "closed", "settled", "posted", "anchored" })
        {
            Assert.Equal(1, Delta(before, after, "openledger_settlement_epochs_total", ("stage", stage)));
        }
        Assert.Equal(epoch.EpochId, after.Sum("openledger_settlement_last_closed_epoch"));
        Assert.Equal(epoch.EpochId, after.Sum("openledger_settlement_last_posted_epoch"));
        foreach (var step in new[] { "settle", "post", "anchor" })
        {
            Assert.Equal(1, Delta(before, after, "openledger_settlement_gas_used_count", ("step", step)));
            Assert.True(Delta(before, after, "openledger_settlement_gas_used_sum", ("step", step)) > 21_000);
        }
        var burned = (double)BigInteger.Parse(epoch.BurnWei, CultureInfo.InvariantCulture) / WeiPerOpen;
        Assert.Equal(burned, Delta(before, after, "openledger_settlement_burned_open_total"), burned * 1e-9);

        // Bounded labels: only kinds of things, and no value that is an address, an inference, the adapter or a hash.
        foreach (var sample in after.Samples.Where(s => s.Name.StartsWith("openledger_", StringComparison.Ordinal)))
        {
            Assert.All(sample.Labels.Keys, label => Assert.Contains(label, _labelNames));
        }
        foreach (var sample in after.Samples)
        {
            Assert.All(sample.Labels.Values, value => Assert.False(LooksLikeAnId(value) || value == grid.Model || value == address,
                $"{sample.Name} has the label value '{value}', which names one thing rather than a kind"));
        }
        var widest = after.Samples.Where(s => s.Name.StartsWith("openledger_", StringComparison.Ordinal) && !s.Name.EndsWith("_bucket", StringComparison.Ordinal))
            .GroupBy(s => s.Name).MaxBy(g => g.Count())!;
        Assert.True(widest.Count() <= 32, $"{widest.Key} has {widest.Count()} series");
    }

    private static async Task<PrometheusScrape> ScrapeAsync(HttpClient http) => PrometheusScrape.Parse(await http.GetStringAsync("/metrics"));

    private static double Delta(PrometheusScrape before, PrometheusScrape after, string name, params (string Name, string Value)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    private static bool LooksLikeAnId(string value) => AnId().IsMatch(value);

    // A 0x address or hash, an inference id, or a long run of hex digits (a key, a Guid without dashes).
    [GeneratedRegex("^0x[0-9a-fA-F]{8,}$|^inf-|[0-9a-fA-F]{16,}")]
    private static partial Regex AnId();
}
