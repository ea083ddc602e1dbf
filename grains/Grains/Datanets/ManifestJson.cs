using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLedger.Grains.Datanets;

/// <summary>The JSON form of snapshot manifests in Blob storage: camelCase, enums as strings, stable across versions.</summary>
public static class ManifestJson
{
    /// <summary>Serializer options for manifests.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
