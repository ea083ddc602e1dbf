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

    /// <summary>Parses <paramref name="json"/>; throws <see cref="JsonException"/> for anything that is not one well-formed JSON value with unique keys.</summary>
    public static JsonNode? Parse(string json) => JsonNode.Parse(json, documentOptions: _strict);

    /// <summary>Parses UTF-8 <paramref name="json"/>; throws <see cref="JsonException"/> as <see cref="Parse(string)"/> does, and for invalid UTF-8.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> json) =>
        Utf8.IsValid(json) ? JsonNode.Parse(json, documentOptions: _strict) : throw new JsonException("the text is not valid UTF-8");
}
