using System.Text.Json;
using OpenLedger.Attribution;

namespace OpenLedger.Client.OpenAi;

/// <summary>Attribution records as the HTTP API writes them: snake_case names, statuses as snake_case strings.</summary>
internal static class AttributionJson
{
    /// <summary>The record in <paramref name="element"/>; <see cref="OpenAiApiException"/> when it is not one.</summary>
    public static AttributionRecord Read(JsonElement element, int status)
    {
        try
        {
            return element.Deserialize<AttributionRecord>(AttributionWireFormat.Options)
                ?? throw new OpenAiApiException(status, "invalid_response", null, null, "The API answered null where an attribution record belongs.");
        }
        catch (JsonException e)
        {
            throw new OpenAiApiException(status, "invalid_response", null, null, $"The attribution record cannot be read ({e.Message}).");
        }
    }
}
