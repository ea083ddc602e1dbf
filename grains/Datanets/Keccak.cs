using Nethereum.Util;

namespace OpenLedger.Datanets;

/// <summary>Ethereum's keccak256 (not NIST SHA3-256).</summary>
public static class Keccak
{
    /// <summary>The 32-byte keccak256 of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data) => Sha3Keccack.Current.CalculateHash(data.ToArray());

    /// <summary>The keccak256 of <paramref name="data"/> as 0x-hex.</summary>
    public static string HashHex(ReadOnlySpan<byte> data) => Hex.Encode(Hash(data));

    /// <summary>The keccak256 of a stream's remaining bytes as 0x-hex, read in chunks (for files of any size).</summary>
    public static async Task<string> HashHexAsync(Stream stream, CancellationToken cancellation = default)
    {
        var digest = new Org.BouncyCastle.Crypto.Digests.KeccakDigest(256);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellation)) > 0)
        {
            digest.BlockUpdate(buffer, 0, read);
        }
        var hash = new byte[32];
        digest.DoFinal(hash, 0);
        return Hex.Encode(hash);
    }

    /// <summary>The keccak256 of a file as 0x-hex.</summary>
    public static async Task<string> HashFileHexAsync(string path, CancellationToken cancellation = default)
    {
        await using var file = File.OpenRead(path);
        return await HashHexAsync(file, cancellation);
    }
}
