using System.Globalization;
using System.Numerics;
using System.Text.Json;
using OpenLedger.Attribution;
using OpenLedger.Client.Agents;
using OpenLedger.Serving;

namespace OpenLedger.Client.OpenAi;

/// <summary>Reads the API's JSON answers: completion and chat chunks, model lists, attribution records and error objects.</summary>
internal static class OpenAiResponses
{
    /// <summary>
    /// A completion (<c>choices[0].text</c>), chat chunk (<c>choices[0].delta.content</c>) or chat reply
    /// (<c>choices[0].message.content</c>) with its <c>id</c> and any <c>openledger_attribution</c>; an <c>error</c>
    /// object is thrown as <see cref="OpenAiApiException"/>.
    /// </summary>
    public static OpenAiCompletionChunk ReadChunk(string json, int status)
    {
        using var document = Parse(json, status);
        var root = document.RootElement;
        ThrowIfError(root, status);
        var text = "";
        string? finishReason = null;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            text = StringOf(choice, "text")
                ?? (choice.TryGetProperty("delta", out var delta) ? StringOf(delta, "content") : null)
                ?? (choice.TryGetProperty("message", out var message) ? StringOf(message, "content") : null)
                ?? "";
            finishReason = StringOf(choice, "finish_reason");
        }
        OpenAiUsage? usage = null;
        if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
        {
            usage = new OpenAiUsage(Int(u, "prompt_tokens"), Int(u, "completion_tokens"), Int(u, "total_tokens"));
        }
        AttributionRecord? attribution = null;
        if (root.TryGetProperty("openledger_attribution", out var a) && a.ValueKind == JsonValueKind.Object)
        {
            attribution = AttributionJson.Read(a, status);
        }
        return new OpenAiCompletionChunk(text, finishReason, usage, StringOf(root, "id"), attribution);
    }

    /// <summary>A <c>GET /v1/attributions/{id}</c> answer.</summary>
    public static AttributionRecord ReadAttribution(string json, int status)
    {
        using var document = Parse(json, status);
        ThrowIfError(document.RootElement, status);
        return AttributionJson.Read(document.RootElement, status);
    }

    /// <summary>The <c>data</c> array of a <c>GET /v1/models</c> answer.</summary>
    public static IReadOnlyList<OpenAiModel> ReadModels(string json, int status)
    {
        using var document = Parse(json, status);
        var root = document.RootElement;
        ThrowIfError(root, status);
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new OpenAiApiException(status, "invalid_response", null, null, "The model list has no data array.");
        }
        return data.EnumerateArray().Select(m => new OpenAiModel(
            StringOf(m, "id") ?? "",
            DateTimeOffset.FromUnixTimeSeconds(m.TryGetProperty("created", out var created) && created.TryGetInt64(out var seconds) ? seconds : 0),
            StringOf(m, "owned_by") ?? "",
            StringOf(m, "base_model"),
            Enum.TryParse<AdapterResidency>(StringOf(m, "residency"), ignoreCase: true, out var residency) ? residency : null,
            StringOf(m, "silo"),
            BigInteger.TryParse(StringOf(m, "price_per_1k_tokens_wei"), NumberStyles.None, CultureInfo.InvariantCulture, out var price) ? price : null)).ToList();
    }

    /// <summary>
    /// The error a non-success answer carries, or one built from its status and body when it has no error object; the
    /// grid's agent refusals come as their <see cref="AgentApiException"/> subclasses, a rate limit with its
    /// <paramref name="retryAfter"/>.
    /// </summary>
    public static OpenAiApiException ReadError(int status, string body, string? reason, TimeSpan? retryAfter = null)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (ErrorOf(document.RootElement, status, retryAfter) is { } error)
            {
                return error;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page, say): the status and text below are all there is.
        }
        var text = string.IsNullOrWhiteSpace(body) ? reason ?? "no message" : body.Trim();
        return new OpenAiApiException(status, "http_error", null, null, $"HTTP {status}: {text}");
    }

    private static JsonDocument Parse(string json, int status)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new OpenAiApiException(status, "invalid_response", null, null, $"The API answered with JSON this client cannot read ({e.Message}).");
        }
    }

    private static void ThrowIfError(JsonElement root, int status)
    {
        if (ErrorOf(root, status) is { } error)
        {
            throw error;
        }
    }

    private static OpenAiApiException? ErrorOf(JsonElement root, int status, TimeSpan? retryAfter = null)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        return AgentErrors.Create(status, StringOf(error, "type") ?? "api_error", StringOf(error, "code"), StringOf(error, "param"),
            StringOf(error, "message") ?? "The API reported an error without a message.", retryAfter);
    }

    /// <summary>The <c>code</c> of an <c>error</c> object in <paramref name="body"/>, or null when it has none.</summary>
    public static string? ErrorCode(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) ? StringOf(error, "code") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Codes are strings in this API, but a number is kept as its text rather than lost.
    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt32(out var n) ? n : 0;
}
