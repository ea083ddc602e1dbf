using OpenLedger.Silo.Hosting;

namespace OpenLedger.Silo.Flight;

/// <summary>Registers the earnings tables' Arrow Flight endpoint with a silo host.</summary>
public static class FlightHostingExtensions
{
    /// <summary>Adds the Flight endpoint when <see cref="GridSiloOptions.FlightPort"/> is set; without it the silo serves no Flight.</summary>
    public static IServiceCollection AddEarningsFlight(this IServiceCollection services, GridSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.FlightPort is not null)
        {
            services.AddHostedService<EarningsFlightService>();
        }
        return services;
    }
}
