using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenLedger.Silo.Endpoints;
using Orleans.Dashboard;

namespace OpenLedger.Silo.Hosting;

/// <summary>The Orleans dashboard, mounted at <see cref="OperatorDashboardOptions.Path"/> for operator keys only, when enabled.</summary>
public static class OperatorDashboardExtensions
{
    private const string Policy = "operators";

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
        var keys = builder.Configuration.GetSection(AgentCredentialOptions.Section).Get<AgentCredentialOptions>()?.Keys ?? [];
        if (!keys.Any(k => !string.IsNullOrWhiteSpace(k)))
        {
            throw new OptionsValidationException(OperatorDashboardOptions.Section, typeof(OperatorDashboardOptions),
                [$"{OperatorDashboardOptions.Section}:Enabled needs an operator key: set {AgentCredentialOptions.Section}:Keys:0, or turn the dashboard off."]);
        }
        // Orleans applies each UseOrleans delegate to the one silo, so the dashboard joins the silo configured before.
        builder.UseOrleans(silo => silo.AddDashboard());
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, OperatorKeyAuthentication>(OperatorKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(OperatorKeyAuthentication.SchemeName)
            .RequireRole(OperatorKeyAuthentication.OperatorRole));
        return builder;
    }

    /// <summary>Maps the dashboard behind the operator policy when it is enabled; otherwise its path stays unknown (404).</summary>
    public static WebApplication MapOpenLedgerDashboard(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<OperatorDashboardOptions>>().Value.Enabled)
        {
            // An operator's page, not part of the grid's API: kept out of the OpenAPI document.
            app.MapOrleansDashboard(OperatorDashboardOptions.Path).RequireAuthorization(Policy).ExcludeFromDescription();
        }
        return app;
    }
}
