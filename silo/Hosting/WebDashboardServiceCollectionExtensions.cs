using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenLedger.Silo.Endpoints;
using OpenLedger.Silo.ModelFactory;

namespace OpenLedger.Silo.Hosting;

/// <summary>What the web dashboard (/dashboard) and its routes need: the record of recent answers and the ModelFactory owner key.</summary>
public static class WebDashboardServiceCollectionExtensions
{
    /// <summary>Adds the services and binds section OpenLedger:FineTuning.</summary>
    public static IServiceCollection AddWebDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RecentInferences>();
        services.AddOptions<FineTuningOptions>().Bind(configuration.GetSection(FineTuningOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FineTuningOptions>, FineTuningOptionsValidator>();
        services.AddSingleton<ModelOwnerKey>();
        return services;
    }
}
