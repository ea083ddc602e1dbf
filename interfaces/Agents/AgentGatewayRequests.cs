using System.Globalization;
using System.Text.Json;

namespace OpenLedger.Agents;

/// <summary>
/// The request a gateway call stands for, in the HTTP API's terms: its method, its path and its body. A signed gateway
/// call signs the same text an HTTP request would (method, path, time, nonce and the SHA-256 of the body), and the
/// grid rebuilds that text from the call it received, so a signature covers exactly the call it came with and its
/// nonce is spent as an HTTP request's is.
/// </summary>
public static class AgentGatewayRequests
{
    /// <summary>The method of reads.</summary>
    public const string Get = "GET";

    /// <summary>The method of completions.</summary>
    public const string Post = "POST";

    /// <summary>The method of revocations.</summary>
    public const string Delete = "DELETE";

    /// <summary>Listing models.</summary>
    public const string Models = "/v1/models";

    /// <summary>The path of a completion, or of a chat completion.</summary>
    public static string Completion(bool chat) => chat ? "/v1/chat/completions" : "/v1/completions";

    /// <summary>Reading the agent's status, re-reading its stake first when <paramref name="refresh"/> is set.</summary>
    public static string Status(bool refresh) => refresh ? "/v1/agent?refresh=true" : "/v1/agent";

    /// <summary>Reading the attribution of an inference.</summary>
    public static string Attribution(string inferenceId) => "/v1/attributions/" + Uri.EscapeDataString(inferenceId);

    /// <summary>Revoking a key.</summary>
    public static string Key(string keyId) => "/v1/agent/keys/" + Uri.EscapeDataString(keyId);

    /// <summary>
    /// The body a completion call is signed over: its model and every field of its request, as compact UTF-8 JSON in a
    /// fixed order. Both ends compute it from the call, so it never travels.
    /// </summary>
    public static byte[] Body(AgentCompletionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = call.Request;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", call.Model);
            json.WriteBoolean("chat", call.Chat);
            json.WriteString("prompt", request.Prompt);
            json.WriteNumber("max_tokens", request.MaxTokens);
            // Round-trip text, so that no two different values sign alike.
            json.WriteString("temperature", request.Temperature.ToString("R", CultureInfo.InvariantCulture));
            json.WriteString("top_p", request.TopP.ToString("R", CultureInfo.InvariantCulture));
            json.WriteNumber("seed", request.Seed);
            json.WriteStartArray("stop");
            foreach (var stop in request.Stop ?? [])
            {
                json.WriteStringValue(stop);
            }
            json.WriteEndArray();
            if (request.TimeoutMs is { } timeout)
            {
                json.WriteNumber("timeout_ms", timeout);
            }
            json.WriteBoolean("attribution_sync", request.AttributeSync);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
