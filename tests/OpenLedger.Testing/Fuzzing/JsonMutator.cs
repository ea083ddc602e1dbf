using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenLedger.Testing.Fuzzing;

/// <summary>
/// Mutations that know JSON: a value swapped for one of the wrong type, a boundary integer, a non-number, a long or
/// odd string, deep nesting; a field removed, repeated or made up. Half the time the result is also mutated as bytes,
/// so both well-formed and broken documents reach the parser.
/// </summary>
/// <param name="bytes">The byte-level mutator applied after (and instead of, for seeds that are not JSON).</param>
/// <param name="longestText">The longest string one mutation writes.</param>
public sealed class JsonMutator(ByteMutator? bytes = null, int longestText = 70_000) : IMutator
{
    private static readonly JsonSerializerOptions _writer = new() { MaxDepth = 1_000 };
    private readonly ByteMutator _bytes = bytes ?? new ByteMutator(longestText);

    /// <inheritdoc />
    public byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> seeds, Random random)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(seed);
        }
        catch (JsonException)
        {
            return _bytes.Mutate(seed, seeds, random);
        }
        if (root is null || random.Next(5) == 0)
        {
            return _bytes.Mutate(seed, seeds, random);
        }
        byte[] text;
        try
        {
            for (var rounds = random.Next(1, 4); rounds > 0; rounds--)
            {
                root = MutateTree(root, random);
            }
            text = FuzzValues.Utf8(root.ToJsonString(_writer));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Nested past what the writer allows, or a string it cannot write: mutate the seed's bytes instead.
            return _bytes.Mutate(seed, seeds, random);
        }
        if (random.Next(6) == 0)
        {
            text = RepeatAField(text, random);
        }
        return random.Next(2) == 0 ? _bytes.Mutate(text, seeds, random) : text;
    }

    private JsonNode MutateTree(JsonNode root, Random random)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        if (target.Parent is null)
        {
            return random.Next(3) == 0 ? Replacement(target, random) ?? JsonValue.Create(false) : MutateContainer(target, random) ?? root;
        }
        if (target is JsonObject or JsonArray && random.Next(2) == 0 && MutateContainer(target, random) is not null)
        {
            return root;
        }
        var replacement = Replacement(target, random);
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[target.GetElementIndex()] = replacement;
                break;
        }
        return root;
    }

    // Adds, removes or renames a field of an object, or grows or empties an array; null when it did nothing.
    private JsonNode? MutateContainer(JsonNode node, Random random)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0 && random.Next(3) == 0:
                obj.Remove(obj.ElementAt(random.Next(obj.Count)).Key);
                return node;
            case JsonObject obj when obj.Count > 0 && random.Next(2) == 0:
                var (key, value) = obj.ElementAt(random.Next(obj.Count));
                obj.Remove(key);
                obj[Rename(key, random)] = value;
                return node;
            case JsonObject obj:
                obj[random.Next(2) == 0 ? "unexpected" : FuzzValues.LongText(random, 64)] = Replacement(null, random);
                return node;
            case JsonArray array when array.Count > 0 && random.Next(2) == 0:
                array.RemoveAt(random.Next(array.Count));
                return node;
            case JsonArray array:
                var copies = random.Next(2) == 0 ? 1 : random.Next(10, 400);
                var item = array.Count > 0 ? array[random.Next(array.Count)] : null;
                for (var i = 0; i < copies; i++)
                {
                    array.Add(item?.DeepClone() ?? Replacement(null, random));
                }
                return node;
            default:
                return null;
        }
    }

    private static string Rename(string key, Random random) => random.Next(4) switch
    {
        0 => key.ToUpperInvariant(),
        1 => key + "_",
        2 => "",
        _ => key.Length > 1 ? key[..^1] : key + key,
    };

    // A value of the wrong kind, a boundary, or the node itself nested deeper.
    private JsonNode? Replacement(JsonNode? current, Random random) => random.Next(10) switch
    {
        0 => JsonNode.Parse(FuzzValues.Integers[random.Next(FuzzValues.Integers.Length)]),
        1 => JsonNode.Parse(FuzzValues.Fragments[random.Next(FuzzValues.Fragments.Length)]),
        2 => JsonValue.Create(FuzzValues.LongText(random, random.Next(2) == 0 ? 64 : longestText)),
        3 => JsonValue.Create(FuzzValues.NonNumbers[random.Next(FuzzValues.NonNumbers.Length)].Trim('"')),
        4 => Nested(current, random.Next(1, 70)),
        5 => current is JsonValue value && value.TryGetValue<string>(out var text) ? JsonValue.Create(Twist(text, random)) : null,
        6 => current is JsonValue number && number.GetValueKind() == JsonValueKind.Number ? JsonValue.Create(-1.5) : JsonValue.Create(true),
        7 => new JsonArray(current?.DeepClone()),
        8 => JsonValue.Create(random.Next(2) == 0 ? "\u0000\u001f\ud7ff\uffff" : "\u202e\u2028𝕏"),
        _ => JsonNode.Parse(FuzzValues.Integers[random.Next(FuzzValues.Integers.Length)]),
    };

    private static JsonNode Nested(JsonNode? current, int depth)
    {
        var node = current?.DeepClone() ?? JsonValue.Create(0);
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        }
        return node;
    }

    // The same text a little wrong: cut, doubled, upper-cased, padded, or with a character changed.
    private static string Twist(string text, Random random) => random.Next(6) switch
    {
        0 when text.Length > 0 => text[..random.Next(text.Length)],
        1 => text + text,
        2 => text.ToUpperInvariant(),
        3 => " " + text + " ",
        4 when text.Length > 0 => text.Remove(random.Next(text.Length), 1).Insert(random.Next(text.Length), ((char)random.Next(32, 127)).ToString()),
        _ => text + "@" + random.Next(-2, 3),
    };

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        Collect(child, nodes);
                    }
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Collect(child, nodes);
                    }
                }
                break;
        }
    }

    // JsonNode cannot hold a field twice, so the repeat is written into the text: `{"a":1,` becomes `{"a":1,"a":1,`.
    private static byte[] RepeatAField(byte[] json, Random random)
    {
        var text = Encoding.UTF8.GetString(json);
        var open = text.IndexOf("{\"", StringComparison.Ordinal);
        if (open < 0)
        {
            return json;
        }
        var comma = text.IndexOf(',', open);
        return comma < 0 ? json : FuzzValues.Utf8(text[..(comma + 1)] + text[(open + 1)..(comma + 1)] + text[(comma + 1)..]);
    }
}
