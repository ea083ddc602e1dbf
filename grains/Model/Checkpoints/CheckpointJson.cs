using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace OpenLedger.Model.Checkpoints;

/// <summary>
/// How checkpoint, adapter and tokenizer JSON is read: a repeated key or bytes that are not UTF-8 are refused when the
/// document is parsed, as a <see cref="JsonException"/> the callers turn into a <see cref="CheckpointException"/>.
/// Left to JsonNode, both would surface later as an ArgumentException or InvalidOperationException from whichever
/// access first touched them.
/// </summary>
public static class CheckpointJson
{
    private static readonly JsonDocumentOptions _strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>
    /// Parses <paramref name="json"/>; throws <see cref="JsonException"/> for anything that is not one well-formed JSON
    /// value with unique keys and strings that read as text (no escaped half of a surrogate pair).
    /// </summary>
    public static JsonNode? Parse(string json)
    {
        using (var document = Strict(() => JsonDocument.Parse(json, _strict)))
        {
            CheckStrings(document.RootElement, "$");
        }
        return JsonNode.Parse(json, documentOptions: _strict);
    }

    /// <summary>Parses UTF-8 <paramref name="json"/>; throws <see cref="JsonException"/> as <see cref="Parse(string)"/> does, and for invalid UTF-8.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            throw new JsonException("the text is not valid UTF-8");
        }
        var bytes = json.ToArray();
        using (var document = Strict(() => JsonDocument.Parse(bytes, _strict)))
        {
            CheckStrings(document.RootElement, "$");
        }
        return JsonNode.Parse(json, documentOptions: _strict);
    }

    // Looking for repeated keys reads every key, so a key escaping a lone surrogate throws there, not as a JsonException.
    private static JsonDocument Strict(Func<JsonDocument> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidOperationException ex)
        {
            throw new JsonException($"a key is not readable text ({ex.Message})", ex);
        }
    }

    // The parser lets an escaped lone surrogate ("\ud835") through; reading that string would throw later, anywhere.
    private static void CheckStrings(JsonElement element, string path)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        CheckStrings(property.Value, $"{path}.{property.Name}");
                    }
                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        CheckStrings(item, $"{path}[{index++}]");
                    }
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            throw new JsonException($"the text at {path} escapes half of a UTF-16 surrogate pair");
        }
    }
}
