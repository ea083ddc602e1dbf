using System.Security.Cryptography;
using OpenLedger.Datanets;

namespace OpenLedger.Economy.Agents;

/// <summary>
/// Agent API keys: <c>olk_</c>, the agent's address (40 hex digits), a key id (8 hex digits) and a 256-bit secret in
/// base64url, joined by underscores. The address in the key tells the door which agent grain to ask without a lookup;
/// the grain keeps only the SHA-256 of the secret, so stored state never holds a usable key.
/// </summary>
public static class AgentKeyFormat
{
    /// <summary>Every agent key starts with this.</summary>
    public const string Prefix = "olk_";

    /// <summary>A key's parts: the agent, the key id and the hash of the secret (lowercase hex).</summary>
    public sealed record Parts(string Agent, string KeyId, string SecretHash);

    /// <summary>A new key for <paramref name="agent"/> (canonical address): the text to hand out and its parts.</summary>
    public static (string Key, Parts Parts) Create(string agent)
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{agent[2..]}_{keyId}_{secret}", new Parts(agent, keyId, HashSecret(secret)));
    }

    /// <summary>The parts of <paramref name="key"/>, or null when it is not an agent key.</summary>
    public static Parts? Parse(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var fields = key[Prefix.Length..].Split('_', 3);
        if (fields.Length != 3 || fields[0].Length != 40 || fields[1].Length != 8 || fields[2].Length < 32 || !IsHex(fields[1]))
        {
            return null;
        }
        var agent = EthereumAddress.TryNormalize("0x" + fields[0]);
        return agent is null ? null : new Parts(agent, fields[1], HashSecret(fields[2]));
    }

    /// <summary>The stored form of a secret: SHA-256 of its UTF-8 text, lowercase hex.</summary>
    public static string HashSecret(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    private static bool IsHex(string text) => text.All(Uri.IsHexDigit);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
