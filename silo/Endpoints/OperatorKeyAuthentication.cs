using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// Authenticates operators by the operator keys the API already accepts (<see cref="AgentCredentialOptions.Keys"/>),
/// so operator pages need no second secret. The key comes as <c>Authorization: Bearer KEY</c> from tools, or as the
/// password of HTTP Basic from a browser, which asks for it when challenged (the user name is ignored).
/// </summary>
public sealed class OperatorKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AgentCredentials credentials)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "OperatorKey";

    /// <summary>The role an operator key carries.</summary>
    public const string OperatorRole = "operator";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey(Request.Headers.Authorization.ToString()) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!credentials.IsOperatorKey(key))
        {
            return Task.FromResult(AuthenticateResult.Fail("The key is not an operator key."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, OperatorRole)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"OpenLedger operators\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }

    // The key from a Bearer header, or the password of a Basic one; null when neither is there.
    private static string? PresentedKey(string header)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : pair[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
