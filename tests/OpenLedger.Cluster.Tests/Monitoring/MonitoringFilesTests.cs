using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace OpenLedger.Cluster.Tests.Monitoring;

/// <summary>
/// The files an operator loads into Prometheus and Grafana parse and have the shape those tools expect, and the
/// PromQL reading that <see cref="MetricsTests"/> relies on finds the names a query selects.
/// </summary>
public sealed class MonitoringFilesTests
{
    [Fact]
    public void The_prometheus_config_scrapes_the_silos_metrics_and_loads_the_alert_rules()
    {
        var config = MonitoringFiles.Yaml(MonitoringFiles.PrometheusConfig);

        var rules = MonitoringFiles.Sequence(config, "rule_files").Cast<YamlScalarNode>().Select(n => n.Value).ToList();
        Assert.Contains(Path.GetFileName(MonitoringFiles.AlertRules), rules);
        var job = Assert.Single(MonitoringFiles.Sequence(config, "scrape_configs").Cast<YamlMappingNode>());
        Assert.Equal("openledger-silo", MonitoringFiles.Scalar(job, "job_name"));
        Assert.Equal("/metrics", MonitoringFiles.Scalar(job, "metrics_path"));
        // Targets come from file_sd files beside the config, so deploy/compose can mount its own folder in their place.
        var patterns = MonitoringFiles.Sequence(job, "file_sd_configs").Cast<YamlMappingNode>()
            .SelectMany(s => MonitoringFiles.Sequence(s, "files").Cast<YamlScalarNode>().Select(f => f.Value!)).ToList();
        var folder = Path.GetDirectoryName(MonitoringFiles.PrometheusConfig)!;
        var targets = patterns
            .SelectMany(p => Directory.GetFiles(Path.Combine(folder, Path.GetDirectoryName(p)!), Path.GetFileName(p)))
            .SelectMany(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.EnumerateArray())
            .SelectMany(g => g.GetProperty("targets").EnumerateArray().Select(t => t.GetString())).ToList();
        // The silo `./openledger up` starts listens on 8080 unless OPENLEDGER_HTTP_PORT says otherwise.
        Assert.Contains("127.0.0.1:8080", targets);
    }

    [Fact]
    public void Every_alert_rule_has_an_expression_a_duration_a_severity_and_a_summary()
    {
        var alerts = MonitoringFiles.Alerts();

        Assert.Contains(alerts, a => a.Alert == "OpenLedgerAttributionFallingBehind");
        Assert.Contains(alerts, a => a.Alert == "OpenLedgerSettlementStuck");
        Assert.Contains(alerts, a => a.Alert == "OpenLedgerAdapterPoolThrashing");
        Assert.Equal(alerts.Count, alerts.Select(a => a.Alert).Distinct().Count());
        Assert.All(alerts, a =>
        {
            Assert.Matches("^OpenLedger[A-Za-z]+$", a.Alert);
            Assert.NotEmpty(PromQlNames.Of(a.Expr));
            Assert.Matches(@"^\d+[smh]$", MonitoringFiles.Scalar(a.Rule, "for"));
            Assert.Contains(MonitoringFiles.Scalar(MonitoringFiles.Mapping(a.Rule, "labels"), "severity"), new[] { "warning", "critical" });
            Assert.NotEmpty(MonitoringFiles.Scalar(MonitoringFiles.Mapping(a.Rule, "annotations"), "summary"));
        });
    }

    [Fact]
    public void The_grafana_dashboard_parses_and_every_panel_queries_the_grids_metrics()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(MonitoringFiles.GrafanaDashboard));
        var root = document.RootElement;
        Assert.Equal("openledger-grid", root.GetProperty("uid").GetString());
        Assert.True(root.GetProperty("schemaVersion").GetInt32() > 30);

        var queries = MonitoringFiles.DashboardQueries();
        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.Contains(PromQlNames.Of(q.Expr), n => n.StartsWith("openledger_", StringComparison.Ordinal)));
        var titles = queries.Select(q => q.Panel).ToList();
        foreach (var part in new[] { "Completions", "Latency", "Attribution backlog", "Last closed and posted epoch", "Fees charged", "Storage errors" })
        {
            Assert.Contains(titles, t => t.StartsWith(part, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Metric_names_come_out_of_promql_without_functions_labels_ranges_or_numbers()
    {
        Assert.Equal(["foo_seconds_bucket"],
            PromQlNames.Of("histogram_quantile(0.95, sum by (le) (rate(foo_seconds_bucket{job=\"a\", le!=\"1e-9\"}[$__rate_interval]))) > 1e-3"));
        Assert.Equal(["a_total", "b", "c"], PromQlNames.Of("max(a_total) > 0.5 * max(b) and on (instance) c offset 5m"));
        Assert.Equal(["up"], PromQlNames.Of("up{job=\"openledger-silo\"} == 0"));
        Assert.Equal(["q"], PromQlNames.Of("deriv(sum by (instance) (q)[15m:1m]) > 0"));
    }

    [Fact]
    public void A_histogram_suffix_is_taken_off_only_where_the_rest_names_a_histogram()
    {
        var scrape = PrometheusScrape.Parse("""
            # HELP h_seconds A histogram.
            # TYPE h_seconds histogram
            h_seconds_bucket{le="0.5"} 1
            h_seconds_bucket{le="+Inf"} 2
            h_seconds_sum 0.7
            h_seconds_count 2
            # HELP c_total A counter.
            # TYPE c_total counter
            c_total{outcome="stop"} 3
            """);

        Assert.True(scrape.Exports("h_seconds"));
        Assert.True(scrape.Exports("h_seconds_bucket"));
        Assert.True(scrape.Exports("h_seconds_count"));
        Assert.True(scrape.Exports("c_total"));
        Assert.False(scrape.Exports("c_total_count"));
        Assert.False(scrape.Exports("c"));
        Assert.Equal(2, scrape.Sum("h_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(3, scrape.Sum("c_total", ("outcome", "stop")));
    }
}
