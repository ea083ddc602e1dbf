using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenLedger.Silo.Endpoints;

namespace OpenLedger.Silo.Hosting;

/// <summary>
/// The operator-key scheme and the authorization policy that admits operator keys only, shared by the operators' pages
/// (the Orleans dashboard, and <c>/metrics</c> when so configured).
/// </summary>
public static class OperatorPolicy
{
    /// <summary>The policy's name.</summary>
    public const string Name = "operators";

    /// <summary>
    /// Adds the scheme and policy once; refuses to start when no operator key is configured, since nobody could pass it.
    /// </summary>
    /// <param name="builder">The silo's builder.</param>
    /// <param name="setting">The setting that asked for it, named in the error.</param>
    public static WebApplicationBuilder AddOperatorPolicy(this WebApplicationBuilder builder, string setting)
    {
        var keys = builder.Configuration.GetSection(AgentCredentialOptions.Section).Get<AgentCredentialOptions>()?.OperatorKeys() ?? [];
        if (keys.Count == 0)
        {
            throw new OptionsValidationException(setting, typeof(AgentCredentialOptions),
                [$"{setting} needs an operator key: set {AgentCredentialOptions.Section}:Keys:0 (or KeysFile), or turn it off."]);
        }
        if (builder.Services.Any(s => s.ServiceType == typeof(OperatorKeyAuthentication)))
        {
            return builder;
        }
        builder.Services.AddTransient<OperatorKeyAuthentication>();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, OperatorKeyAuthentication>(OperatorKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(Name, policy => policy
            .AddAuthenticationSchemes(OperatorKeyAuthentication.SchemeName)
            .RequireRole(OperatorKeyAuthentication.OperatorRole));
        return builder;
    }

    /// <summary>Puts the endpoints behind the operator policy when <paramref name="required"/>.</summary>
    public static TBuilder RequireOperatorKeyWhen<TBuilder>(this TBuilder endpoints, bool required) where TBuilder : IEndpointConventionBuilder =>
        required ? endpoints.RequireAuthorization(Name) : endpoints;
}
