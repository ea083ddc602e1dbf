using Nethereum.Util;

namespace OpenLedger.Datanets;

/// <summary>Ethereum's keccak256 (not NIST SHA3-256).</summary>
public static class Keccak
{
    /// <summary>The 32-byte keccak256 of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data) => Sha3Keccack.Current.CalculateHash(data.ToArray());

    /// <summary>The keccak256 of <paramref name="data"/> as 0x-hex.</summary>
    public static string HashHex(ReadOnlySpan<byte> data) => Hex.Encode(Hash(data));
}
