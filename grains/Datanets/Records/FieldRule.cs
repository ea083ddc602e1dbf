namespace OpenLedger.Datanets.Records;

/// <summary>The JSON value a field must hold.</summary>
public enum FieldKind
{
    /// <summary>A JSON string.</summary>
    Text,

    /// <summary>A JSON number with no fractional part that fits in 64 bits.</summary>
    Integer,

    /// <summary>Any JSON number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A string holding an ISO 8601 date and time.</summary>
    Timestamp,
}

/// <summary>One field's rule: its name, kind, whether it must be present, and a length limit for text.</summary>
public sealed record FieldRule(string Name, FieldKind Kind, bool Required, int? MaxLength);
