using System.Text.RegularExpressions;
using OpenLedger.Errors;

namespace OpenLedger.Grains.Models;

/// <summary>The rule for model, base model and job names: they become Blob paths and CLI arguments.</summary>
public static partial class ModelNames
{
    /// <summary>Throws <see cref="InvalidRequestException"/> unless <paramref name="name"/> is 1-64 of [a-z0-9._-], starting with a letter or digit.</summary>
    public static void Check(string field, string name)
    {
        if (!Pattern().IsMatch(name))
        {
            throw new InvalidRequestException(field, $"'{name}' must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
