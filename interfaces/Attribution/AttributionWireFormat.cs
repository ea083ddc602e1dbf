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

    /// <summary>
    /// The bytes a record's hash is taken over: its wire JSON without the epoch it was charged in (set after the record
    /// is final). The grid hashes these into the epoch's anchored batch and anyone holding the record can do the same.
    /// </summary>
    public static byte[] CanonicalBytes(AttributionRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record with { Epoch = null }, Options);
}
