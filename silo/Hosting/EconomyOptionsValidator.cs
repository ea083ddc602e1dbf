using Microsoft.Extensions.Options;
using OpenLedger.Grains.Economy;

namespace OpenLedger.Silo.Hosting;

/// <summary>Refuses to start a silo whose economy section is half filled in, naming what is missing.</summary>
public sealed class EconomyOptionsValidator : IValidateOptions<EconomyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EconomyOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
