using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLedger.Attribution;

/// <summary>
/// How attribution records travel over HTTP: snake_case names and statuses as snake_case strings (<c>pending</c>,
/// <c>complete</c>, <c>not_attributable</c>, <c>failed</c>). The silo writes and the SDK reads with these same options.
/// </summary>
public static class AttributionWireFormat
{
    /// <summary>The serializer options of the wire format.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
