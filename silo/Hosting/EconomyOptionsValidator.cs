using Microsoft.Extensions.Options;
using OpenLedger.Grains.Economy;

namespace OpenLedger.Silo.Hosting;

/// <summary>
/// Refuses to start a silo whose economy section is half filled in, naming what is missing, or whose settlement
/// keystore does not open (not encrypted, or the wrong password), naming the file.
/// </summary>
public sealed class EconomyOptionsValidator : IValidateOptions<EconomyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EconomyOptions options)
    {
        if (options.Problem() is { } problem)
        {
            return ValidateOptionsResult.Fail(problem);
        }
        if (!options.Enabled || string.IsNullOrWhiteSpace(options.SettlerKeyFile))
        {
            return ValidateOptionsResult.Success;
        }
        try
        {
            // Opened once at start so a bad keystore stops the silo now, not at the first epoch close.
            options.LoadSettlerKey();
            return ValidateOptionsResult.Success;
        }
        catch (SettlerKeyFileException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
