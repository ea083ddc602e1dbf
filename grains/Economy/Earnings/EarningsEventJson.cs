using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// Earnings events as single JSON lines: the read model's log format, and the form events travel in to the grain that
/// keeps the index, so what is applied is byte for byte what is stored. Amounts stay decimal strings of wei.
/// </summary>
public static class EarningsEventJson
{
    private static readonly JsonSerializerOptions _options = new(JsonSerializerDefaults.Web)
    {
        // Event keys (Key) are computed from the fields, so only the fields are written.
        IgnoreReadOnlyProperties = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The event as one line of JSON (no line breaks), with its type.</summary>
    public static string Write(EarningsEvent earningsEvent)
    {
        ArgumentNullException.ThrowIfNull(earningsEvent);
        return JsonSerializer.Serialize(earningsEvent, _options);
    }

    /// <summary>Reads one line; throws <see cref="InvalidEarningsEventException"/> when it is not an earnings event.</summary>
    public static EarningsEvent Read(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<EarningsEvent>(line, _options)
                ?? throw new InvalidEarningsEventException("(unreadable)", "line", Clip(line), "is null; send one JSON object per event");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            throw new InvalidEarningsEventException("(unreadable)", "line", Clip(line),
                $"is not an earnings event ({ex.Message}); send one JSON object with a type of charged, posted or claimed");
        }
    }

    private static string Clip(string? line) => line is null ? "" : line.Length <= 120 ? line : line[..120] + "…";
}
