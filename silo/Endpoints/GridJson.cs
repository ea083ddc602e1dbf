using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLedger.Silo.Endpoints;

/// <summary>How the grid's own read and ModelFactory routes write JSON: snake_case names and enum values, as the OpenAI-compatible routes do.</summary>
public static class GridJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary><paramref name="value"/> as a JSON response.</summary>
    public static IResult Write(object? value, int status = StatusCodes.Status200OK) => Results.Json(value, Options, statusCode: status);
}
