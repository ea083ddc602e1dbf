using Nethereum.Signer;

namespace OpenLedger.Datanets.Signing;

/// <summary>EIP-191 personal signatures (secp256k1) over 32-byte digests, as wallets make them.</summary>
public static class PersonalSignature
{
    private static readonly EthereumMessageSigner _signer = new();

    /// <summary>Signs <paramref name="digest"/> with a hex private key; returns the 65-byte signature as 0x-hex.</summary>
    public static string Sign(byte[] digest, string privateKeyHex) => _signer.Sign(digest, new EthECKey(privateKeyHex));

    /// <summary>
    /// The lower-case address that signed <paramref name="digest"/>, or null when the signature is malformed: not 0x and
    /// 130 hex digits, a recovery byte other than 27, 28 (or 0, 1), or no key recovers from it.
    /// </summary>
    public static string? RecoverSigner(byte[] digest, string? signature)
    {
        if (signature is null || !signature.StartsWith("0x", StringComparison.Ordinal) || signature.Length != 132)
        {
            return null;
        }
        var bytes = new byte[65];
        if (Convert.FromHexString(signature.AsSpan(2), bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 65)
        {
            return null;
        }
        // Nethereum throws a bare Exception for a recovery byte it does not know, so only wallets' forms reach it.
        bytes[64] = bytes[64] switch
        {
            0 or 27 => 27,
            1 or 28 => 28,
            _ => 0,
        };
        if (bytes[64] == 0)
        {
            return null;
        }
        try
        {
            return EthereumAddress.TryNormalize(_signer.EcRecover(digest, "0x" + Convert.ToHexStringLower(bytes)));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The lower-case address of a hex private key.</summary>
    public static string AddressOf(string privateKeyHex) =>
        EthereumAddress.TryNormalize(new EthECKey(privateKeyHex).GetPublicAddress())!;
}
