using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenLedger.Agents;
using OpenLedger.Economy.Agents;
using OpenLedger.Errors;
using OpenLedger.Grains.Agents;

namespace OpenLedger.Silo.Endpoints;

/// <summary>The static keys a silo accepts besides agents' own (section OpenLedger:Agents).</summary>
public sealed class AgentCredentialOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:Agents";

    /// <summary>Operator keys: they call for free and without limits, which suits an operator's own tools. Prefer <see cref="KeysFile"/>.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>A file of operator keys, one per line, readable by the silo only; its keys are added to <see cref="Keys"/>.</summary>
    public string? KeysFile { get; set; }

    /// <summary>
    /// Keys bound by configuration to the agent account that pays for their calls (its fee-vault deposit). They pass
    /// through the same stake, limit and signature checks as keys agents get by signing a challenge.
    /// </summary>
    public List<AgentAccountBinding> Accounts { get; set; } = [];

    /// <summary>The operator keys from <see cref="Keys"/> and <see cref="KeysFile"/>, blanks left out.</summary>
    public IReadOnlyList<string> OperatorKeys() =>
    [
        .. Keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()),
        .. (string.IsNullOrWhiteSpace(KeysFile) ? [] : File.ReadAllLines(KeysFile)).Select(k => k.Trim()).Where(k => k.Length > 0),
    ];
}

/// <summary>An agent key and the 0x account its calls are charged to.</summary>
public sealed class AgentAccountBinding
{
    /// <summary>The bearer key. Prefer <see cref="KeyFile"/>.</summary>
    public string Key { get; set; } = "";

    /// <summary>A file holding the bearer key (one line), readable by the silo only; used when <see cref="Key"/> is empty.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The key from <see cref="Key"/> or <see cref="KeyFile"/>; empty when neither is set.</summary>
    public string BearerKey() =>
        !string.IsNullOrWhiteSpace(Key) ? Key.Trim() : string.IsNullOrWhiteSpace(KeyFile) ? "" : File.ReadAllText(KeyFile).Trim();

    /// <summary>The paying agent's address.</summary>
    public string Account { get; set; } = "";
}

/// <summary>
/// A call let in: the agent it is charged to (null for an operator key), its lease (for <see cref="AgentCredentials.FinishAsync"/>),
/// or why it was refused.
/// </summary>
public sealed record AgentPass(OpenAiError? Refusal, string? Agent, AgentLease? Lease)
{
    /// <summary>A refusal.</summary>
    public static AgentPass Refused(OpenAiError error) => new(error, null, null);
}

/// <summary>
/// Where HTTP requests are authenticated and metered: every route asks this class, which reads the bearer key and a
/// signed request's headers and hands them to the <see cref="AgentDoor"/> the agent gateway shares, so an agent key is
/// checked by the agent's grain (key, the signature's nonce, stake and limits in one turn) whichever way it came.
/// Static keys are compared in constant time, so response timing says nothing about how much of a key was right.
/// </summary>
public sealed class AgentCredentials(IOptions<AgentCredentialOptions> options, AgentDoor door)
{
    private const string TimestampHeader = AgentSignatures.TimestampHeader;
    private const string NonceHeader = AgentSignatures.NonceHeader;
    private const string SignatureHeader = AgentSignatures.SignatureHeader;

    /// <summary>The largest body a signed request may have: it is buffered to be hashed.</summary>
    public const int MaxSignedBody = 4 << 20;

    private readonly (byte[] Key, string? Account)[] _keys =
    [
        .. options.Value.OperatorKeys().Select(k => (Encoding.UTF8.GetBytes(k), (string?)null)),
        .. options.Value.Accounts.Select(a => (Key: a.BearerKey(), a.Account)).Where(a => a.Key.Length > 0)
            .Select(a => (Encoding.UTF8.GetBytes(a.Key), (string?)a.Account.ToLowerInvariant())),
    ];

    /// <summary>
    /// Lets a read (listing models, an attribution) in or refuses it. Counts against the agent's request rate.
    /// </summary>
    public Task<AgentPass> AdmitReadAsync(HttpContext http) => AdmitAsync(http, AgentCallKind.Read, 0);

    /// <summary>
    /// Lets the agent's own status or key management in, even below the minimum stake, or refuses it. Counts against
    /// the agent's request rate.
    /// </summary>
    public Task<AgentPass> AdmitAccountAsync(HttpContext http) => AdmitAsync(http, AgentCallKind.Account, 0);

    /// <summary>
    /// Lets an inference in or refuses it, before any work: key, signature, stake, request and token rates and
    /// concurrency. An admitted call holds a slot until <see cref="FinishAsync"/>.
    /// </summary>
    public async Task<AgentPass> AdmitAsync(HttpContext http, AgentCallKind kind, int estimatedTokens)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AgentPass.Refused(OpenAiError.Unauthorized(
                "No agent key was sent. Send it as `Authorization: Bearer <key>`; agents get keys by signing a challenge (POST /v1/agents/challenge)."));
        }
        var presented = header["Bearer ".Length..].Trim();
        var bytes = Encoding.UTF8.GetBytes(presented);
        var matched = _keys.Where(k => CryptographicOperations.FixedTimeEquals(k.Key, bytes)).Take(1).ToList();
        string agent;
        string? keyId = null, secretHash = null;
        if (matched.Count == 1)
        {
            if (matched[0].Account is null)
            {
                return new AgentPass(null, null, null);     // an operator key
            }
            agent = matched[0].Account!;
        }
        else if (AgentKeyFormat.Parse(presented) is { } parts)
        {
            (agent, keyId, secretHash) = (parts.Agent, parts.KeyId, parts.SecretHash);
        }
        else
        {
            return AgentPass.Refused(OpenAiError.Unauthorized("The agent key is not recognised by this grid. Check the key, or get one by signing a challenge."));
        }
        var (signed, invalid) = await ReadSignatureAsync(http.Request);
        if (invalid is not null)
        {
            return AgentPass.Refused(invalid);
        }
        var route = $"{http.Request.Method} {http.Request.Path}";
        try
        {
            return new AgentPass(null, agent, await door.AdmitAsync(agent, keyId, secretHash, kind, estimatedTokens, signed, route));
        }
        catch (OpenLedgerException ex) when (OpenAiError.From(ex) is { } error)
        {
            return AgentPass.Refused(error);
        }
    }

    /// <summary>
    /// The refusal for a request whose bearer key cannot be this grid's (none, or neither a configured key nor in the
    /// form of an issued one), before its body is read; null when the key may be good, which the full check decides.
    /// </summary>
    public OpenAiError? RefuseUnrecognised(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return OpenAiError.Unauthorized(
                "No agent key was sent. Send it as `Authorization: Bearer <key>`; agents get keys by signing a challenge (POST /v1/agents/challenge).");
        }
        var presented = header["Bearer ".Length..].Trim();
        var bytes = Encoding.UTF8.GetBytes(presented);
        var configured = false;
        foreach (var (key, _) in _keys)
        {
            configured |= CryptographicOperations.FixedTimeEquals(key, bytes);
        }
        return configured || AgentKeyFormat.Parse(presented) is not null ? null
            : OpenAiError.Unauthorized("The agent key is not recognised by this grid. Check the key, or get one by signing a challenge.");
    }

    /// <summary>
    /// Whether <paramref name="presented"/> is one of the operator keys (not an agent's), compared in constant time like
    /// every key here: what guards operator-only pages such as the Orleans dashboard.
    /// </summary>
    public bool IsOperatorKey(string presented)
    {
        var bytes = Encoding.UTF8.GetBytes(presented);
        var operatorKey = false;
        foreach (var (key, account) in _keys)
        {
            // Every key is compared, so the time taken says nothing about which one (or whether one) matched.
            operatorKey |= CryptographicOperations.FixedTimeEquals(key, bytes) && account is null;
        }
        return operatorKey;
    }

    /// <summary>
    /// Caps the request's body at <see cref="MaxSignedBody"/> while it can still be changed, so that a larger one is
    /// refused as too large (413) by the server instead of overflowing the buffer it is hashed from.
    /// </summary>
    public static void LimitBody(HttpContext http)
    {
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxSignedBody;
        }
    }

    /// <summary>Frees an inference's slot with the tokens its lease saw used; nothing for reads or operator keys.</summary>
    public ValueTask FinishAsync(AgentPass pass) => pass.Lease?.DisposeAsync() ?? ValueTask.CompletedTask;

    // A signed request's headers, checked for form here and for meaning by the agent's grain. The body is buffered
    // so the route reads it again after its hash is taken.
    private static async Task<(SignedRequest? Signed, OpenAiError? Invalid)> ReadSignatureAsync(HttpRequest request)
    {
        var signature = request.Headers[SignatureHeader].ToString();
        if (signature.Length == 0)
        {
            return (null, null);
        }
        var nonce = request.Headers[NonceHeader].ToString();
        if (!long.TryParse(request.Headers[TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || !AgentDoor.IsNonce(nonce))
        {
            return (null, OpenAiError.Invalid($"A signed request needs {TimestampHeader} (unix milliseconds) and {NonceHeader} (16 to 64 hex digits) beside {SignatureHeader}.",
                null, "invalid_signed_request"));
        }
        // A route may have read the body already (to parse it): hash it from the start either way.
        LimitBody(request.HttpContext);
        request.EnableBuffering(MaxSignedBody);
        request.Body.Position = 0;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return (AgentDoor.Signed(request.Method, request.Path + request.QueryString, timestamp, nonce, buffer.ToArray(), signature), null);
    }
}
