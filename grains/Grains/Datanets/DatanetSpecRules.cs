using System.Text.RegularExpressions;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Records;
using OpenLedger.Errors;

namespace OpenLedger.Grains.Datanets;

/// <summary>Checks a Datanet's id and description before it is created, and turns its schema into a validator.</summary>
public static partial class DatanetSpecRules
{
    /// <summary>Checks everything about a new Datanet; throws <see cref="InvalidDatanetSpecException"/> naming the first problem.</summary>
    public static (string Owner, DatanetSpec Spec) Validate(string datanetId, string owner, DatanetSpec spec)
    {
        if (!IdPattern().IsMatch(datanetId))
        {
            throw new InvalidDatanetSpecException("id", $"'{datanetId}' must be 3-63 lower-case letters, digits or dashes, starting with a letter or digit");
        }
        var normalizedOwner = EthereumAddress.TryNormalize(owner)
            ?? throw new InvalidDatanetSpecException("owner", $"'{owner}' is not an Ethereum address (0x and 40 hex digits)");
        Require("name", spec.Name, 100);
        Require("domain", spec.Domain, 100);
        Require("licence", spec.Licence, 100);
        if (spec.Description is null || spec.Description.Length > 4000)
        {
            throw new InvalidDatanetSpecException("description", "must be given and at most 4000 characters");
        }
        if (spec.Schema is null || spec.Schema.Format != RecordSchema.JsonLinesFormat)
        {
            throw new InvalidDatanetSpecException("schema.format", $"only '{RecordSchema.JsonLinesFormat}' (JSON Lines) is supported");
        }
        if (spec.Schema.Fields is null || spec.Schema.Fields.Count == 0)
        {
            throw new InvalidDatanetSpecException("schema.fields", "declare at least one field");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in spec.Schema.Fields)
        {
            if (string.IsNullOrWhiteSpace(field.Name) || !names.Add(field.Name))
            {
                throw new InvalidDatanetSpecException("schema.fields", $"field names must be non-empty and unique ('{field.Name}')");
            }
            if (!Enum.IsDefined(field.Type))
            {
                throw new InvalidDatanetSpecException("schema.fields", $"field '{field.Name}' has an unknown type");
            }
            if (field.MaxLength is <= 0)
            {
                throw new InvalidDatanetSpecException("schema.fields", $"field '{field.Name}' has a non-positive maxLength");
            }
        }
        var curators = new List<string>();
        foreach (var curator in spec.Curation?.Curators ?? Array.Empty<string>())
        {
            curators.Add(EthereumAddress.TryNormalize(curator)
                ?? throw new InvalidDatanetSpecException("curation.curators", $"'{curator}' is not an Ethereum address"));
        }
        if (spec.Curation is null || (spec.Curation.Mode == CurationMode.Curated && curators.Count == 0))
        {
            throw new InvalidDatanetSpecException("curation", "a curated Datanet needs at least one curator address");
        }
        if (spec.Curation.Mode == CurationMode.Open && curators.Count > 0)
        {
            throw new InvalidDatanetSpecException("curation", "an open Datanet has no curators; choose curated mode to name them");
        }
        return (normalizedOwner, spec with { Curation = spec.Curation with { Curators = curators.Distinct().ToList() } });
    }

    /// <summary>
    /// Throws <see cref="InvalidRequestException"/> on <paramref name="field"/> unless <paramref name="datanetId"/> has a
    /// Datanet id's form: no Datanet can have another, and asking a grain for one would reach storage with a key it refuses.
    /// </summary>
    public static void CheckId(string field, string datanetId)
    {
        if (!IdPattern().IsMatch(datanetId))
        {
            throw new InvalidRequestException(field,
                $"'{(datanetId.Length <= 70 ? datanetId : datanetId[..70] + "...")}' is not a Datanet id: 3-63 lower-case letters, digits or dashes, starting with a letter or digit");
        }
    }

    /// <summary>The engine's validator for a Datanet's record schema.</summary>
    public static RecordValidator ValidatorFor(RecordSchema schema) => new(
        schema.Fields.Select(f => new FieldRule(f.Name, (FieldKind)(int)f.Type, f.Required, f.MaxLength)).ToList(),
        schema.AllowUnknownFields);

    private static void Require(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength)
        {
            throw new InvalidDatanetSpecException(field, $"must be given and at most {maxLength} characters");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,62}$")]
    private static partial Regex IdPattern();
}
