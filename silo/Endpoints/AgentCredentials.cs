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

    /// <summary>
    /// Keys bound to the agent account that pays for their calls (its fee-vault deposit). A key listed only in
    /// <see cref="Keys"/> calls for free, which suits an operator's own tools.
    /// </summary>
    public List<AgentAccountBinding> Accounts { get; set; } = [];
}

/// <summary>An agent key and the 0x account its calls are charged to.</summary>
public sealed class AgentAccountBinding
{
    /// <summary>The bearer key.</summary>
    public string Key { get; set; } = "";

    /// <summary>The paying agent's address.</summary>
    public string Account { get; set; } = "";
}

/// <summary>
/// The one place inference requests are authenticated: every OpenAI-compatible endpoint asks this class, so moving
/// to stake-bound agent credentials changes this file only.
/// </summary>
public sealed class AgentCredentials(IOptions<AgentCredentialOptions> options)
{
    private readonly (byte[] Key, string? Account)[] _keys =
    [
        .. options.Value.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => (Encoding.UTF8.GetBytes(k), (string?)null)),
        .. options.Value.Accounts.Where(a => !string.IsNullOrWhiteSpace(a.Key)).Select(a => (Encoding.UTF8.GetBytes(a.Key), (string?)a.Account.ToLowerInvariant())),
    ];

    /// <summary>Null when the request carries an accepted key; otherwise why not, for the 401 body.</summary>
    public string? Refusal(HttpRequest request) => Authenticate(request).Refusal;

    /// <summary>
    /// The account the request's key is bound to (null for a free key), or why the request is refused. Keys are
    /// compared in constant time, so response timing says nothing about how much of a key was right.
    /// </summary>
    public (string? Refusal, string? Agent) Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return ("No agent key was sent. Send it as `Authorization: Bearer <key>`; operators issue keys with the silo setting OpenLedger:Agents:Keys.", null);
        }
        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        var matched = _keys.Where(k => CryptographicOperations.FixedTimeEquals(k.Key, presented)).Take(1).ToList();
        return matched.Count == 1
            ? (null, matched[0].Account)
            : ("The agent key is not recognised by this grid. Check the key, or ask the operator for one.", null);
    }
}
