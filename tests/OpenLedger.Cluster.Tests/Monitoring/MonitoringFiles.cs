using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace OpenLedger.Cluster.Tests.Monitoring;

/// <summary>The monitoring files under deploy/: Prometheus' scrape config and alert rules, and the Grafana dashboard.</summary>
public static class MonitoringFiles
{
    /// <summary>deploy/prometheus/prometheus.yml.</summary>
    public static string PrometheusConfig { get; } = Path.Combine(RepoPaths.Root, "deploy", "prometheus", "prometheus.yml");

    /// <summary>deploy/prometheus/alerts.yml.</summary>
    public static string AlertRules { get; } = Path.Combine(RepoPaths.Root, "deploy", "prometheus", "alerts.yml");

    /// <summary>deploy/grafana/openledger-grid.json.</summary>
    public static string GrafanaDashboard { get; } = Path.Combine(RepoPaths.Root, "deploy", "grafana", "openledger-grid.json");

    /// <summary>The root mapping of a YAML file (a parse error throws, naming the line).</summary>
    public static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    /// <summary>Every alert rule: its group, the rule's mapping, its name and expression.</summary>
    public static IReadOnlyList<(string Group, YamlMappingNode Rule, string Alert, string Expr)> Alerts() =>
    [
        .. Sequence(Yaml(AlertRules), "groups").Cast<YamlMappingNode>().SelectMany(group => Sequence(group, "rules").Cast<YamlMappingNode>()
            .Select(rule => (Scalar(group, "name"), rule, Scalar(rule, "alert"), Scalar(rule, "expr")))),
    ];

    /// <summary>Every query of every dashboard panel (rows' nested panels included): the panel's title and the expression.</summary>
    public static IReadOnlyList<(string Panel, string Expr)> DashboardQueries()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(GrafanaDashboard));
        var queries = new List<(string, string)>();
        Collect(document.RootElement.GetProperty("panels"), queries);
        return queries;
    }

    /// <summary>The metric names the alert rules and the dashboard use.</summary>
    public static IReadOnlyList<string> MetricNames() =>
        [.. Alerts().Select(a => a.Expr).Concat(DashboardQueries().Select(q => q.Expr)).SelectMany(PromQlNames.Of).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The scalar at <paramref name="key"/> of <paramref name="node"/> (asserts it is there).</summary>
    public static string Scalar(YamlMappingNode node, string key) =>
        Assert.IsType<YamlScalarNode>(node.Children[new YamlScalarNode(key)]).Value ?? "";

    /// <summary>The sequence at <paramref name="key"/> of <paramref name="node"/> (asserts it is there).</summary>
    public static YamlSequenceNode Sequence(YamlMappingNode node, string key) =>
        Assert.IsType<YamlSequenceNode>(node.Children[new YamlScalarNode(key)]);

    /// <summary>The mapping at <paramref name="key"/> of <paramref name="node"/> (asserts it is there).</summary>
    public static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        Assert.IsType<YamlMappingNode>(node.Children[new YamlScalarNode(key)]);

    private static void Collect(JsonElement panels, List<(string, string)> queries)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            if (panel.TryGetProperty("panels", out var nested))
            {
                Collect(nested, queries);
            }
            if (panel.TryGetProperty("targets", out var targets))
            {
                var title = panel.GetProperty("title").GetString() ?? "";
                queries.AddRange(targets.EnumerateArray().Select(t => (title, t.GetProperty("expr").GetString() ?? "")));
            }
        }
    }
}
