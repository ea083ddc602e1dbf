using OpenLedger.Datanets;

namespace OpenLedger.Cli.Commands;

/// <summary>Parses `--field name:type[?][:maxLength]`, e.g. `title:text:200`, `confirmed:boolean?`.</summary>
public static class FieldSpecParser
{
    /// <summary>One field, or a <see cref="CliException"/> saying what is wrong.</summary>
    public static FieldSpec Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0)
        {
            throw new CliException($"--field '{text}' should look like name:type[?][:maxLength], e.g. title:text:200.");
        }
        var typeName = parts[1].TrimEnd('?');
        if (!Enum.TryParse<FieldType>(typeName, ignoreCase: true, out var type) || !Enum.IsDefined(type))
        {
            throw new CliException($"--field '{text}': unknown type '{typeName}'; use text, integer, number, boolean or timestamp.");
        }
        int? maxLength = null;
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], out var max) || max <= 0)
            {
                throw new CliException($"--field '{text}': maxLength must be a positive integer.");
            }
            maxLength = max;
        }
        return new FieldSpec(parts[0], type, Required: !parts[1].EndsWith('?'), maxLength);
    }
}
