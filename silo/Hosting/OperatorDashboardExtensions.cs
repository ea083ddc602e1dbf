using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace OpenLedger.Silo.Hosting;

/// <summary>The Orleans dashboard, mounted at <see cref="OperatorDashboardOptions.Path"/> for operator keys only, when enabled.</summary>
public static class OperatorDashboardExtensions
{
    /// <summary>
    /// When OpenLedger:Dashboard:Enabled is set, adds the dashboard to the silo and the operator-key scheme that guards
    /// it; refuses to start when no operator key is configured, since nobody could open it. Otherwise adds nothing.
    /// </summary>
    public static WebApplicationBuilder AddOpenLedgerDashboard(this WebApplicationBuilder builder)
    {
        var dashboard = builder.Configuration.GetSection(OperatorDashboardOptions.Section).Get<OperatorDashboardOptions>() ?? new OperatorDashboardOptions();
        builder.Services.AddOptions<OperatorDashboardOptions>().Bind(builder.Configuration.GetSection(OperatorDashboardOptions.Section));
        if (!dashboard.Enabled)
        {
            return builder;
        }
        builder.AddOperatorPolicy($"{OperatorDashboardOptions.Section}:Enabled");
        // Orleans applies each UseOrleans delegate to the one silo, so the dashboard joins the silo configured before.
        builder.UseOrleans(silo => silo.AddDashboard());
        return builder;
    }

    /// <summary>Maps the dashboard behind the operator policy when it is enabled; otherwise its path stays unknown (404).</summary>
    public static WebApplication MapOpenLedgerDashboard(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<OperatorDashboardOptions>>().Value.Enabled)
        {
            // An operator's page, not part of the grid's API: kept out of the OpenAPI document.
            app.MapOrleansDashboard(OperatorDashboardOptions.Path).RequireAuthorization(OperatorPolicy.Name).ExcludeFromDescription();
        }
        return app;
    }
}
