using System.Globalization;
using System.Security.Cryptography;

namespace OpenLedger.Economy.Agents;

/// <summary>
/// What agents sign (EIP-191 personal_sign over UTF-8 text, as wallets do): the challenge that proves they hold their
/// address, and each signed request. A request's text binds the method, the path with its query, the timestamp, a
/// nonce and the SHA-256 of the body, so a signature cannot be moved to another request or replayed unnoticed.
/// </summary>
public static class AgentSignatures
{
    /// <summary>The signed request's timestamp header (unix milliseconds).</summary>
    public const string TimestampHeader = "X-OpenLedger-Timestamp";

    /// <summary>The signed request's nonce header (16 to 64 hex digits).</summary>
    public const string NonceHeader = "X-OpenLedger-Nonce";

    /// <summary>The signed request's signature header (EIP-191 personal_sign, 0x and 130 hex digits).</summary>
    public const string SignatureHeader = "X-OpenLedger-Signature";

    /// <summary>The challenge text an agent signs for a key.</summary>
    public static string Challenge(string agent, string nonce, DateTimeOffset expiresAt) =>
        $"OpenLedger Grid agent key\nAddress: {agent}\nNonce: {nonce}\nExpires: {expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The text a signed request's signature covers.</summary>
    public static string Request(string method, string pathAndQuery, long timestampMs, string nonce, string bodyHash) =>
        $"OpenLedger request\n{method.ToUpperInvariant()} {pathAndQuery}\n{timestampMs.ToString(CultureInfo.InvariantCulture)}\n{nonce}\n{bodyHash}";

    /// <summary>SHA-256 of a request body, lowercase hex (of zero bytes for an empty body).</summary>
    public static string BodyHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>Signs <paramref name="text"/> with a hex private key; 0x and 130 hex digits.</summary>
    public static string Sign(string text, string privateKeyHex) => PersonalSignature.Sign(text, privateKeyHex);

    /// <summary>The lowercase address that signed <paramref name="text"/>, or null when the signature is malformed.</summary>
    public static string? Signer(string text, string? signature) => PersonalSignature.Recover(text, signature);
}
