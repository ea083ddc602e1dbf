namespace OpenLedger.Datanets;

/// <summary>
/// The shape of one record in a contribution. Payloads are JSON Lines: one JSON object per line, each checked
/// against these fields.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.RecordSchema")]
public sealed record RecordSchema(
    [property: Id(0)] IReadOnlyList<FieldSpec> Fields,
    [property: Id(1)] bool AllowUnknownFields = false)
{
    /// <summary>The only payload format so far.</summary>
    public const string JsonLinesFormat = "jsonl";

    /// <summary>The payload format; JSON Lines of text records to start.</summary>
    [Id(2)]
    public string Format { get; init; } = JsonLinesFormat;
}

/// <summary>One field of a record.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.FieldSpec")]
public sealed record FieldSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] FieldType Type,
    [property: Id(2)] bool Required = true,
    [property: Id(3)] int? MaxLength = null);

/// <summary>The JSON value a field must hold.</summary>
[GenerateSerializer, Alias("OpenLedger.FieldType")]
public enum FieldType
{
    /// <summary>A JSON string.</summary>
    Text = 0,

    /// <summary>A JSON number without a fractional part.</summary>
    Integer = 1,

    /// <summary>Any JSON number.</summary>
    Number = 2,

    /// <summary>true or false.</summary>
    Boolean = 3,

    /// <summary>A JSON string holding an ISO 8601 date and time.</summary>
    Timestamp = 4,
}
