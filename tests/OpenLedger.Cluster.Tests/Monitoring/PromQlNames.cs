using System.Text.RegularExpressions;

namespace OpenLedger.Cluster.Tests.Monitoring;

/// <summary>
/// The metric names a PromQL expression selects. What is not a metric name is taken out first: string literals,
/// label matchers, range and subquery brackets (which also hold Grafana's <c>$__rate_interval</c>), and the label
/// lists of <c>by</c>, <c>without</c>, <c>on</c>, <c>ignoring</c> and <c>group_left/right</c>; then every identifier
/// left that is not a function call, a keyword or part of a number or duration is a metric name.
/// </summary>
public static partial class PromQlNames
{
    private static readonly HashSet<string> _keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2",
    };

    /// <summary>The distinct metric names in <paramref name="expression"/>, in order of appearance.</summary>
    public static IReadOnlyList<string> Of(string expression)
    {
        var text = Strings().Replace(expression, " ");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = LabelLists().Replace(text, " ");
        var names = new List<string>();
        foreach (Match match in Identifier().Matches(text))
        {
            var rest = text[(match.Index + match.Length)..].TrimStart();
            if (rest.StartsWith('(') || _keywords.Contains(match.Value))
            {
                continue;
            }
            if (!names.Contains(match.Value))
            {
                names.Add(match.Value);
            }
        }
        return names;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex LabelLists();

    // Not preceded by a word character or a dot, so the "e" of 1e-9 and the "m" of 5m are never names.
    [GeneratedRegex(@"(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
