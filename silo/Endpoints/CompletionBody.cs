using System.Text.Json;
using OpenLedger.Serving;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// A parsed /v1/completions or /v1/chat/completions body. Parsed by hand from the JSON document so that every
/// problem is reported against the field OpenAI's API names, instead of a serializer's path. Beyond OpenAI's fields,
/// <c>"attribution": "sync"</c> makes the answer wait for its attribution and include it (the default, <c>"async"</c>,
/// attributes it after the answer), and <c>timeout_ms</c> bounds the request.
/// </summary>
public sealed record CompletionBody(string Model, CompletionRequest Request, bool Stream)
{
    private const int MaxMessages = 256;

    /// <summary>Reads a completions body (<c>prompt</c>) or, with <paramref name="chat"/>, a chat body (<c>messages</c>).</summary>
    public static async Task<(CompletionBody? Body, OpenAiError? Error)> ReadAsync(HttpRequest request, bool chat)
    {
        JsonDocument document;
        try
        {
            document = await JsonBody.ParseAsync(request);
        }
        catch (JsonException ex)
        {
            return (null, OpenAiError.Invalid($"The request body is not valid JSON ({ex.Message}). Send a JSON object.", null, "invalid_json"));
        }
        using (document)
        {
            try
            {
                return (Parse(document.RootElement, chat), null);
            }
            catch (BodyException ex)
            {
                return (null, OpenAiError.Invalid(ex.Message, ex.Param));
            }
        }
    }

    private static CompletionBody Parse(JsonElement root, bool chat)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BodyException(null, "The request body must be a JSON object.");
        }
        var model = String(root, "model") ?? throw new BodyException("model", "model is required: name an adapter or a base model (GET /v1/models lists them).");
        var prompt = chat ? Conversation(root) : Prompt(root);
        var request = new CompletionRequest(
            prompt,
            Int(root, "max_tokens") ?? 64,
            Number(root, "temperature") ?? (chat ? 0.7 : 0),
            Number(root, "top_p") ?? 1,
            // Without a seed every request draws afresh, as OpenAI's API does; with one, it is reproducible.
            Int(root, "seed") ?? Random.Shared.Next(),
            Stop(root),
            Int(root, "timeout_ms"),
            AttributeSync(root));
        return new CompletionBody(model, request, Bool(root, "stream") ?? false);
    }

    private static string Prompt(JsonElement root)
    {
        if (!root.TryGetProperty("prompt", out var prompt))
        {
            throw new BodyException("prompt", "prompt is required.");
        }
        return prompt.ValueKind switch
        {
            JsonValueKind.String => prompt.GetString()!,
            JsonValueKind.Array when prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String => prompt[0].GetString()!,
            _ => throw new BodyException("prompt", "prompt must be a string (or an array holding one string)."),
        };
    }

    // Chat turns rendered as a transcript that ends where the assistant speaks next.
    private static string Conversation(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new BodyException("messages", "messages is required: a non-empty array of {role, content}.");
        }
        if (messages.GetArrayLength() > MaxMessages)
        {
            throw new BodyException("messages", $"messages holds at most {MaxMessages} turns.");
        }
        var turns = new List<(string Role, string Content)>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            if (!ChatTranscript.IsRole(role))
            {
                throw new BodyException($"messages[{index}].role", $"messages[{index}].role must be system, user or assistant.");
            }
            if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                throw new BodyException($"messages[{index}].content", $"messages[{index}].content must be a string.");
            }
            turns.Add((role!, content.GetString()!));
            index++;
        }
        return ChatTranscript.Render(turns);
    }

    private static bool AttributeSync(JsonElement root) => String(root, "attribution") switch
    {
        null or "async" => false,
        "sync" => true,
        _ => throw new BodyException("attribution", "attribution must be \"sync\" (the answer waits for its attribution and includes it) or \"async\" (the default: attributed after the answer; read it at GET /v1/attributions/{id})."),
    };

    private static IReadOnlyList<string>? Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (stop.ValueKind == JsonValueKind.String)
        {
            return [stop.GetString()!];
        }
        if (stop.ValueKind == JsonValueKind.Array && stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String))
        {
            return stop.EnumerateArray().Select(s => s.GetString()!).ToList();
        }
        throw new BodyException("stop", "stop must be a string or an array of strings.");
    }

    private static string? String(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0 ? value.GetString()
        : throw new BodyException(name, $"{name} must be a non-empty string.");

    private static int? Int(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : throw new BodyException(name, $"{name} must be an integer.");

    private static double? Number(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : throw new BodyException(name, $"{name} must be a number.");

    private static bool? Bool(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw new BodyException(name, $"{name} must be true or false.");

    private sealed class BodyException(string? param, string message) : Exception(message)
    {
        public string? Param { get; } = param;
    }
}
