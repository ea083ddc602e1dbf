using Microsoft.Extensions.Options;
using OpenLedger.Silo.ModelFactory;

namespace OpenLedger.Silo.Hosting;

/// <summary>Refuses to start a silo whose model-owner key is unusable, naming the setting, rather than failing the first job launched.</summary>
public sealed class FineTuningOptionsValidator : IValidateOptions<FineTuningOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FineTuningOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
