using System.Net;
using Microsoft.Extensions.Options;
using OpenLedger.Cluster;

namespace OpenLedger.Silo.Hosting;

/// <summary>Checks silo options at start, naming each bad setting by its configuration key.</summary>
public sealed class GridSiloOptionsValidator : IValidateOptions<GridSiloOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GridSiloOptions options)
    {
        var failures = new List<string>();
        void Fail(string key, string problem) => failures.Add($"{GridSiloOptions.Section}:{key} {problem}");

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            Fail(nameof(options.ClusterId), "must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            Fail(nameof(options.ServiceId), "must not be empty.");
        }
        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            Fail(nameof(options.AdvertisedAddress), $"must be an IP address; got '{options.AdvertisedAddress}'.");
        }
        if (options.SiloPort is < 1 or > 65535)
        {
            Fail(nameof(options.SiloPort), $"must be a port between 1 and 65535; got {options.SiloPort}.");
        }
        if (options.GatewayPort is < 1 or > 65535 || options.GatewayPort == options.SiloPort)
        {
            Fail(nameof(options.GatewayPort), $"must be a port between 1 and 65535 other than SiloPort; got {options.GatewayPort}.");
        }
        if (options.FlightPort is < 0 or > 65535 || (options.FlightPort is > 0 and var flight && (flight == options.SiloPort || flight == options.GatewayPort)))
        {
            Fail(nameof(options.FlightPort), $"must be 0 (pick a free port) or a port between 1 and 65535 other than SiloPort and GatewayPort; got {options.FlightPort}.");
        }
        if (!IPAddress.TryParse(options.FlightAddress, out _))
        {
            Fail(nameof(options.FlightAddress), $"must be an IP address; got '{options.FlightAddress}'.");
        }
        if (!Enum.IsDefined(options.Clustering))
        {
            Fail(nameof(options.Clustering), "must be AzureTable, Redis or Localhost.");
        }
        if (string.IsNullOrWhiteSpace(options.StorageConnectionString))
        {
            Fail(nameof(options.StorageConnectionString), "is required (Azure Storage or Azurite); `./openledger up` prints one.");
        }
        if (string.IsNullOrWhiteSpace(options.RedisConnectionString))
        {
            Fail(nameof(options.RedisConnectionString), "is required: the serving inventory and adapter cache live in Redis (and membership, when Clustering is Redis); `./openledger up` starts one.");
        }
        if (SiloRoles.Unknown(options.Roles) is { Count: > 0 } unknown)
        {
            Fail(nameof(options.Roles), $"names unknown roles {string.Join(", ", unknown.Select(r => $"'{r}'"))}; use a comma-separated list of {string.Join(", ", GridRoles.All)}, or leave it empty for all.");
        }
        if (options.ShutdownTimeout <= TimeSpan.Zero)
        {
            Fail(nameof(options.ShutdownTimeout), "must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
