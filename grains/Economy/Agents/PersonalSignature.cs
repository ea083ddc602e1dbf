using System.Buffers;
using System.Globalization;
using System.Text;
using NBitcoin.Secp256k1;
using Nethereum.Util;

namespace OpenLedger.Economy.Agents;

/// <summary>
/// EIP-191 <c>personal_sign</c> over UTF-8 text: keccak-256 of <c>"\x19Ethereum Signed Message:\n" + length + text</c>,
/// signed deterministically (RFC 6979, low s) with the recovery id in the last byte, as wallets sign. The curve
/// arithmetic is libsecp256k1's (NBitcoin.Secp256k1), about ten times faster than a general-purpose curve library:
/// the grid recovers a signer on every signed request, and agents sign every one.
/// </summary>
public static class PersonalSignature
{
    private const int RecoveryIdOffset = 27;

    /// <summary>Signs <paramref name="text"/> with a 32-byte private key: <c>0x</c> and 130 lowercase hex digits (r, s, v).</summary>
    public static string Sign(string text, ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32 || !ECPrivKey.TryCreate(privateKey, out var key))
        {
            throw new ArgumentException("A private key is 32 bytes, a number between 1 and the curve order less one.", nameof(privateKey));
        }
        using (key)
        {
            return Sign(text, key);
        }
    }

    /// <summary>Signs <paramref name="text"/> with a hex private key (with or without <c>0x</c>).</summary>
    public static string Sign(string text, string privateKeyHex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyHex);
        var hex = privateKeyHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? privateKeyHex[2..] : privateKeyHex;
        return Sign(text, Convert.FromHexString(hex));
    }

    /// <summary>Signs <paramref name="text"/> with <paramref name="key"/>, which the caller keeps.</summary>
    public static string Sign(string text, ECPrivKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.TrySignRecoverable(Digest(text), out var signature) || signature is null)
        {
            throw new InvalidOperationException("Signing failed.");
        }
        Span<byte> compact = stackalloc byte[65];
        signature.WriteToSpanCompact(compact[..64], out var recoveryId);
        compact[64] = (byte)(RecoveryIdOffset + recoveryId);
        return "0x" + Convert.ToHexStringLower(compact);
    }

    /// <summary>
    /// The lowercase address whose key signed <paramref name="text"/>, or null when <paramref name="signature"/> is not
    /// <c>0x</c> and 130 hex digits with a recovery id of 27, 28, 0 or 1 that recovers a key.
    /// </summary>
    public static string? Recover(string text, string? signature)
    {
        if (signature is not { Length: 132 } || !signature.StartsWith("0x", StringComparison.Ordinal))
        {
            return null;
        }
        Span<byte> compact = stackalloc byte[65];
        if (Convert.FromHexString(signature.AsSpan(2), compact, out _, out var written) != OperationStatus.Done || written != 65)
        {
            return null;
        }
        var recoveryId = compact[64] >= RecoveryIdOffset ? compact[64] - RecoveryIdOffset : compact[64];
        if (recoveryId is < 0 or > 1
            || !SecpRecoverableECDSASignature.TryCreateFromCompact(compact[..64], recoveryId, out var parsed)
            || !ECPubKey.TryRecover(Context.Instance, parsed, Digest(text), out var publicKey))
        {
            return null;
        }
        Span<byte> point = stackalloc byte[65];
        publicKey.WriteToSpan(compressed: false, point, out _);
        var hash = Sha3Keccack.Current.CalculateHash(point[1..].ToArray());
        return "0x" + Convert.ToHexStringLower(hash.AsSpan(12));
    }

    // EIP-191 version 0x45: the prefix and the message's length in bytes, in decimal, before the message.
    private static byte[] Digest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var message = Encoding.UTF8.GetBytes(text);
        var prefix = Encoding.UTF8.GetBytes("\u0019Ethereum Signed Message:\n" + message.Length.ToString(CultureInfo.InvariantCulture));
        return Sha3Keccack.Current.CalculateHash([.. prefix, .. message]);
    }
}
