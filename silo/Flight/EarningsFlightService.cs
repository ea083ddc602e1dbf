using System.Net;
using Microsoft.Extensions.Options;
using OpenLedger.Silo.Hosting;

namespace OpenLedger.Silo.Flight;

/// <summary>Serves the earnings grain's tables over Arrow Flight for as long as the silo runs, on <see cref="GridSiloOptions.FlightPort"/>.</summary>
public sealed partial class EarningsFlightService(
    IOptions<GridSiloOptions> options,
    IGrainFactory grains,
    ILoggerFactory loggerFactory,
    ILogger<EarningsFlightService> logger) : IHostedService, IAsyncDisposable
{
    private EarningsFlightHost? _host;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var endpoint = new IPEndPoint(IPAddress.Parse(settings.FlightAddress), settings.FlightPort ?? 0);
        _host = await EarningsFlightHost.StartAsync(new GrainEarningsTables(grains), endpoint, loggerFactory, cancellationToken);
        LogServing(logger, _host.Address);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _host, null) is { } host)
        {
            await host.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Arrow Flight serves the earnings tables at {Address}")]
    private static partial void LogServing(ILogger logger, Uri address);
}
