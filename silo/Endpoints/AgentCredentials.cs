using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OpenLedger.Silo.Endpoints;

/// <summary>The agent keys a silo accepts on its inference API (section OpenLedger:Agents).</summary>
public sealed class AgentCredentialOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:Agents";

    /// <summary>Accepted bearer keys. Until agents hold credentials bound to their on-chain stake, operators issue these.</summary>
    public List<string> Keys { get; set; } = [];
}

/// <summary>
/// The one place inference requests are authenticated: every OpenAI-compatible endpoint asks this class, so moving
/// to stake-bound agent credentials changes this file only.
/// </summary>
public sealed class AgentCredentials(IOptions<AgentCredentialOptions> options)
{
    private readonly byte[][] _keys = options.Value.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>Null when the request carries an accepted key; otherwise why not, for the 401 body.</summary>
    public string? Refusal(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return "No agent key was sent. Send it as `Authorization: Bearer <key>`; operators issue keys with the silo setting OpenLedger:Agents:Keys.";
        }
        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        // Compared in constant time, so response timing says nothing about how much of a key was right.
        return _keys.Any(k => CryptographicOperations.FixedTimeEquals(k, presented))
            ? null
            : "The agent key is not recognised by this grid. Check the key, or ask the operator for one.";
    }
}
