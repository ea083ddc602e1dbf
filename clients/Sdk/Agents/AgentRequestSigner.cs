using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Nethereum.Signer;

namespace OpenLedger.Client.Agents;

/// <summary>
/// Signs HTTP requests with the agent's private key, so that the grid can tell a stolen or replayed key from its owner:
/// an EIP-191 <c>personal_sign</c> of <see cref="TextToSign"/>, sent in <see cref="TimestampHeader"/>,
/// <see cref="NonceHeader"/> and <see cref="SignatureHeader"/>.
/// </summary>
public sealed class AgentRequestSigner
{
    /// <summary>The header holding the signing time, in Unix milliseconds.</summary>
    public const string TimestampHeader = OpenLedger.Economy.Agents.AgentSignatures.TimestampHeader;

    /// <summary>The header holding the request's nonce: 32 random lowercase hex characters.</summary>
    public const string NonceHeader = OpenLedger.Economy.Agents.AgentSignatures.NonceHeader;

    /// <summary>The header holding the signature, <c>0x</c> and 130 hex characters.</summary>
    public const string SignatureHeader = OpenLedger.Economy.Agents.AgentSignatures.SignatureHeader;

    /// <summary>The first line of every signed text; it keeps a request signature from being valid as any other message.</summary>
    public const string Preamble = "OpenLedger request";

    private readonly byte[] _privateKey;
    private readonly TimeProvider _time;

    /// <summary>A signer for the key <paramref name="privateKeyHex"/> (hex, with or without <c>0x</c>), reading the time from <paramref name="time"/>.</summary>
    public AgentRequestSigner(string privateKeyHex, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyHex);
        var key = new EthECKey(privateKeyHex);
        _privateKey = key.GetPrivateKeyAsBytes();
        _time = time ?? TimeProvider.System;
        Address = key.GetPublicAddress();
    }

    /// <summary>The signer's Ethereum address (checksummed).</summary>
    public string Address { get; }

    /// <summary>
    /// The exact text signed for a request: <c>"OpenLedger request\n" + METHOD + " " + pathAndQuery + "\n" + timestamp +
    /// "\n" + nonce + "\n" + lowercaseHex(SHA-256(body))</c>, the body's hash taken over zero bytes when there is none.
    /// </summary>
    public static string TextToSign(string method, string pathAndQuery, long timestampMilliseconds, string nonce, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(pathAndQuery);
        ArgumentException.ThrowIfNullOrWhiteSpace(nonce);
        // One definition of the signed text, shared with the grid that checks it.
        return OpenLedger.Economy.Agents.AgentSignatures.Request(method, pathAndQuery, timestampMilliseconds, nonce, OpenLedger.Economy.Agents.AgentSignatures.BodyHash(body));
    }

    /// <summary>A fresh nonce: 16 random bytes as 32 lowercase hex characters.</summary>
    public static string NewNonce() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    /// <summary>Signs a request now, with a fresh nonce.</summary>
    public AgentRequestSignature Sign(string method, string pathAndQuery, ReadOnlySpan<byte> body) =>
        Sign(method, pathAndQuery, body, _time.GetUtcNow().ToUnixTimeMilliseconds(), NewNonce());

    /// <summary>Signs a request with the given time and nonce (for checking a server against known values).</summary>
    public AgentRequestSignature Sign(string method, string pathAndQuery, ReadOnlySpan<byte> body, long timestampMilliseconds, string nonce)
    {
        var text = TextToSign(method, pathAndQuery, timestampMilliseconds, nonce, body);
        return new AgentRequestSignature(timestampMilliseconds, nonce, SignText(text));
    }

    /// <summary>The EIP-191 <c>personal_sign</c> of <paramref name="text"/>'s UTF-8 bytes by this key: <c>0x</c> and 130 hex characters.</summary>
    public string SignText(string text) => OpenLedger.Economy.Agents.PersonalSignature.Sign(text, _privateKey);

    /// <summary>Puts a fresh signature of <paramref name="request"/> into its headers, replacing any earlier one.</summary>
    public async Task SignAsync(HttpRequestMessage request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request.RequestUri);
        // The content is serialised to bytes once here; string and byte contents send those same bytes afterwards.
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellation);
        var signature = Sign(request.Method.Method, request.RequestUri.PathAndQuery, body);
        request.Headers.Remove(TimestampHeader);
        request.Headers.Remove(NonceHeader);
        request.Headers.Remove(SignatureHeader);
        request.Headers.Add(TimestampHeader, signature.Timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(NonceHeader, signature.Nonce);
        request.Headers.Add(SignatureHeader, signature.Signature);
    }
}
