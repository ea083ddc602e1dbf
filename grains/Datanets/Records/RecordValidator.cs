using System.Text.Json;
using System.Text.Unicode;

namespace OpenLedger.Datanets.Records;

/// <summary>The outcome of validating a payload: its record count, or the first problem found.</summary>
public readonly record struct RecordValidation(int RecordCount, int Line, string? Field, string? Problem)
{
    /// <summary>True when every record is valid.</summary>
    public bool IsValid => Problem is null;

    internal static RecordValidation Fail(int line, string? field, string problem) => new(0, line, field, problem);
}

/// <summary>
/// Checks a JSON Lines payload against a record schema: every non-final line is one JSON object whose fields
/// have the declared kinds. A trailing newline is allowed; blank lines elsewhere are not, since they usually mean a
/// broken export.
/// </summary>
public sealed class RecordValidator(IReadOnlyList<FieldRule> fields, bool allowUnknownFields)
{
    private readonly Dictionary<string, FieldRule> _byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Validates <paramref name="payload"/>; the first problem found is reported with its 1-based line.</summary>
    public RecordValidation Validate(ReadOnlyMemory<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return RecordValidation.Fail(0, null, "the payload is empty; send at least one record");
        }
        var records = 0;
        var line = 0;
        var rest = payload;
        while (!rest.IsEmpty)
        {
            line++;
            var end = rest.Span.IndexOf((byte)'\n');
            var current = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            if (!current.IsEmpty && current.Span[^1] == (byte)'\r')
            {
                current = current[..^1];
            }
            if (current.IsEmpty)
            {
                if (rest.IsEmpty && end >= 0)
                {
                    break;
                }
                return RecordValidation.Fail(line, null, "the line is empty; each line must hold one JSON object");
            }
            if (!Utf8.IsValid(current.Span))
            {
                return RecordValidation.Fail(line, null, "the line is not valid UTF-8 text");
            }
            var problem = ValidateLine(current, line);
            if (problem is { } failure)
            {
                return failure;
            }
            records++;
        }
        return records == 0
            ? RecordValidation.Fail(1, null, "the payload holds no records")
            : new RecordValidation(records, 0, null, null);
    }

    private RecordValidation? ValidateLine(ReadOnlyMemory<byte> json, int line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return RecordValidation.Fail(line, null, $"not valid JSON ({e.Message.Split('.')[0]})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return RecordValidation.Fail(line, null, $"expected a JSON object, found {root.ValueKind.ToString().ToLowerInvariant()}");
            }
            if (JsonStrings.FirstUnreadable(root) is { } unreadable)
            {
                return RecordValidation.Fail(line, null, $"the text at {unreadable} escapes half of a UTF-16 surrogate pair (\\uD800-\\uDFFF alone); send valid Unicode text");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    return RecordValidation.Fail(line, property.Name, "the field appears twice");
                }
                if (!_byName.TryGetValue(property.Name, out var rule))
                {
                    if (allowUnknownFields)
                    {
                        continue;
                    }
                    return RecordValidation.Fail(line, property.Name, "the schema has no such field");
                }
                if (CheckValue(rule, property.Value) is { } problem)
                {
                    return RecordValidation.Fail(line, rule.Name, problem);
                }
            }
            foreach (var rule in fields)
            {
                if (rule.Required && !seen.Contains(rule.Name))
                {
                    return RecordValidation.Fail(line, rule.Name, "the field is required but missing");
                }
            }
        }
        return null;
    }

    private static string? CheckValue(FieldRule rule, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return rule.Required ? "the field is required but null" : null;
        }
        switch (rule.Kind)
        {
            case FieldKind.Text:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return $"expected text, found {Describe(value)}";
                }
                if (rule.MaxLength is { } max && value.GetString()!.Length > max)
                {
                    return $"the text is {value.GetString()!.Length} characters; at most {max} are allowed";
                }
                return null;
            case FieldKind.Integer:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _) ? null : $"expected an integer, found {Describe(value)}";
            case FieldKind.Number:
                return value.ValueKind == JsonValueKind.Number ? null : $"expected a number, found {Describe(value)}";
            case FieldKind.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : $"expected true or false, found {Describe(value)}";
            case FieldKind.Timestamp:
                return value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out _)
                    ? null
                    : $"expected an ISO 8601 timestamp such as 2026-01-31T12:00:00Z, found {Describe(value)}";
            default:
                return $"the schema names an unknown kind {rule.Kind}";
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{Truncate(value.GetString()!)}\"",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
