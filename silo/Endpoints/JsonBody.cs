using System.Text.Json;
using System.Text.Unicode;

namespace OpenLedger.Silo.Endpoints;

/// <summary>A request body field that is missing or of the wrong kind; <see cref="Param"/> names it as the API does.</summary>
public sealed class JsonBodyException(string? param, string message) : Exception(message)
{
    /// <summary>The field at fault (dotted for nested fields), or null for the body as a whole.</summary>
    public string? Param { get; } = param;

    /// <summary>The 400 the API answers with.</summary>
    public OpenAiError ToError() => OpenAiError.Invalid(Message, Param);
}

/// <summary>
/// Reads the fields of a JSON request body by hand, so every problem is reported against the field the API names
/// rather than a serializer's path, and unknown fields are refused by name instead of silently ignored.
/// </summary>
public static class JsonBody
{
    // A field sent twice is ambiguous (which one counts?), so it is refused rather than one of them silently dropped.
    private static readonly JsonDocumentOptions _strict = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// Reads and parses the whole body: a <see cref="JsonException"/> when it is not UTF-8 (RFC 8259 requires it, and a
    /// string of bad bytes would otherwise fail only when read) or not one JSON value with each field once.
    /// </summary>
    public static async Task<JsonDocument> ParseAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!Utf8.IsValid(bytes.Span))
        {
            throw new JsonException("the body is not valid UTF-8 text");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.ToArray(), _strict);
        }
        catch (InvalidOperationException ex)
        {
            // Looking for repeated fields reads every field name; one escaping half a surrogate pair throws there.
            throw new JsonException($"a field name is not readable text ({ex.Message})", ex);
        }
        if (OpenLedger.Datanets.JsonStrings.FirstUnreadable(document.RootElement) is { } unreadable)
        {
            document.Dispose();
            throw new JsonException($"the text at {unreadable} escapes half of a UTF-16 surrogate pair (\\uD800-\\uDFFF alone); send valid Unicode text");
        }
        return document;
    }

    /// <summary>The body as a JSON object, or the error that says why it is not one. An empty body is an empty object when <paramref name="emptyIsObject"/>.</summary>
    public static async Task<(JsonDocument? Document, OpenAiError? Error)> ReadObjectAsync(HttpRequest request, bool emptyIsObject = false)
    {
        if (emptyIsObject && request.ContentLength == 0)
        {
            return (JsonDocument.Parse("{}"), null);
        }
        try
        {
            var document = await ParseAsync(request);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return (document, null);
            }
            document.Dispose();
            return (null, OpenAiError.Invalid("The request body must be a JSON object.", null, "invalid_json"));
        }
        catch (JsonException ex)
        {
            return (null, OpenAiError.Invalid($"The request body is not valid JSON ({ex.Message}). Send a JSON object.", null, "invalid_json"));
        }
    }

    /// <summary>Throws unless every field of <paramref name="element"/> is one of <paramref name="known"/>.</summary>
    public static void OnlyKnown(JsonElement element, string prefix, params string[] known)
    {
        foreach (var field in element.EnumerateObject())
        {
            if (!known.Contains(field.Name, StringComparer.Ordinal))
            {
                throw new JsonBodyException(prefix + field.Name, $"Unknown field '{prefix}{field.Name}'; the fields are {string.Join(", ", known.Select(k => prefix + k))}.");
            }
        }
    }

    /// <summary>A non-empty string field, or null when absent.</summary>
    public static string? String(JsonElement root, string name, string prefix = "") =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0 ? value.GetString()
        : throw new JsonBodyException(prefix + name, $"{prefix}{name} must be a non-empty string.");

    /// <summary>An integer field, or null when absent.</summary>
    public static long? Integer(JsonElement root, string name, string prefix = "") =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number
        : throw new JsonBodyException(prefix + name, $"{prefix}{name} must be an integer.");

    /// <summary>A number field, or null when absent.</summary>
    public static double? Number(JsonElement root, string name, string prefix = "") =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : throw new JsonBodyException(prefix + name, $"{prefix}{name} must be a number.");

    /// <summary>A true/false field, or null when absent.</summary>
    public static bool? Bool(JsonElement root, string name, string prefix = "") =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw new JsonBodyException(prefix + name, $"{prefix}{name} must be true or false.");

    /// <summary>An array of non-empty strings, or null when absent.</summary>
    public static IReadOnlyList<string>? Strings(JsonElement root, string name, string prefix = "")
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || v.GetString()!.Length == 0))
        {
            throw new JsonBodyException(prefix + name, $"{prefix}{name} must be an array of non-empty strings.");
        }
        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }
}
