using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenLedger.Cluster.Tests.Deployment;

/// <summary>Reading deployment YAML: every document of a file, with merge keys (<c>&lt;&lt;: *anchor</c>) applied as compose applies them.</summary>
public static class DeploymentYaml
{
    /// <summary>The documents of <paramref name="text"/>, each a mapping; a syntax error throws, naming the line.</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(new StringReader(text))));
        return [.. stream.Documents.Select((d, i) => d.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"document {i + 1} is not a mapping (line {d.RootNode.Start.Line})."))];
    }

    /// <summary>The node at <paramref name="key"/>, or null.</summary>
    public static YamlNode? Get(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    /// <summary>The mapping at <paramref name="key"/>, or null when absent or not a mapping.</summary>
    public static YamlMappingNode? Map(this YamlMappingNode node, string key) => node.Get(key) as YamlMappingNode;

    /// <summary>The sequence at <paramref name="key"/>, or an empty one.</summary>
    public static IEnumerable<YamlNode> Seq(this YamlMappingNode node, string key) => node.Get(key) as YamlSequenceNode ?? [];

    /// <summary>The mappings of the sequence at <paramref name="key"/>.</summary>
    public static IEnumerable<YamlMappingNode> Maps(this YamlMappingNode node, string key) => node.Seq(key).OfType<YamlMappingNode>();

    /// <summary>The scalar at <paramref name="key"/>, or null.</summary>
    public static string? Str(this YamlMappingNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    /// <summary>The scalar at a path of keys, or null.</summary>
    public static string? Str(this YamlMappingNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path[..^1])
        {
            current = current.Map(key);
            if (current is null)
            {
                return null;
            }
        }
        return current.Str(path[^1]);
    }

    /// <summary>A mapping of scalars as a dictionary (absent: empty).</summary>
    public static IReadOnlyDictionary<string, string> Labels(this YamlMappingNode? node) =>
        node is null ? new Dictionary<string, string>()
            : node.Children.Where(c => c.Key is YamlScalarNode && c.Value is YamlScalarNode)
                .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "");

    /// <summary>Whether every pair of <paramref name="selector"/> is among <paramref name="labels"/> (an empty selector matches nothing here).</summary>
    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);
}
