using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenLedger.Cluster.Tests.Monitoring;

/// <summary>
/// One scrape of a /metrics page in Prometheus' text format: the metric families (from their <c># TYPE</c> lines) and
/// every sample with its labels, read the way Prometheus reads them.
/// </summary>
public sealed partial class PrometheusScrape
{
    private static readonly string[] _histogramSuffixes = ["_bucket", "_sum", "_count"];
    private static readonly string[] _summarySuffixes = ["_sum", "_count"];

    private PrometheusScrape(IReadOnlyDictionary<string, string> families, IReadOnlyList<Sample> samples)
    {
        Families = families;
        Samples = samples;
    }

    /// <summary>Metric families by name, with their type (counter, gauge, histogram, summary, untyped).</summary>
    public IReadOnlyDictionary<string, string> Families { get; }

    /// <summary>Every sample, in page order.</summary>
    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Reads a page.</summary>
    public static PrometheusScrape Parse(string text)
    {
        var families = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
                if (parts is ["#", "TYPE", var name, var type])
                {
                    families[name] = type;
                }
                continue;
            }
            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"Not a Prometheus sample line: {line}");
            }
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => Regex.Unescape(m.Groups["value"].Value), StringComparer.Ordinal);
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }
        return new PrometheusScrape(families, samples);
    }

    /// <summary>
    /// Whether a name a query uses is exported: a family itself, or a histogram's <c>_bucket</c>, <c>_sum</c> or
    /// <c>_count</c> series (a summary's <c>_sum</c> or <c>_count</c>). A suffix is only taken off where the rest
    /// names a histogram or summary: a counter's <c>x_count</c> is not a series of family <c>x</c>.
    /// </summary>
    public bool Exports(string name)
    {
        if (Families.ContainsKey(name))
        {
            return true;
        }
        foreach (var suffix in _histogramSuffixes.Where(name.EndsWith))
        {
            var family = name[..^suffix.Length];
            if (Families.TryGetValue(family, out var type) && (type == "histogram" || (type == "summary" && _summarySuffixes.Contains(suffix))))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>Whether any sample is named <paramref name="name"/>.</summary>
    public bool Has(string name) => Samples.Any(s => s.Name == name);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+-?\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    /// <summary>One sample: its series name, labels and value.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
