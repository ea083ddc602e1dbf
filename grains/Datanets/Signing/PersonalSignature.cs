using Nethereum.Signer;

namespace OpenLedger.Datanets.Signing;

/// <summary>EIP-191 personal signatures (secp256k1) over 32-byte digests, as wallets make them.</summary>
public static class PersonalSignature
{
    private static readonly EthereumMessageSigner _signer = new();

    /// <summary>Signs <paramref name="digest"/> with a hex private key; returns the 65-byte signature as 0x-hex.</summary>
    public static string Sign(byte[] digest, string privateKeyHex) => _signer.Sign(digest, new EthECKey(privateKeyHex));

    /// <summary>The lower-case address that signed <paramref name="digest"/>, or null when the signature is malformed.</summary>
    public static string? RecoverSigner(byte[] digest, string? signature)
    {
        if (signature is null || !signature.StartsWith("0x", StringComparison.Ordinal) || signature.Length != 132)
        {
            return null;
        }
        try
        {
            return EthereumAddress.TryNormalize(_signer.EcRecover(digest, signature));
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
