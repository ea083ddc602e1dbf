namespace OpenLedger.Datanets;

/// <summary>0x-prefixed lower-case hex, the form every hash and address takes on the wire and in storage.</summary>
public static class Hex
{
    /// <summary>Encodes bytes as 0x-prefixed lower-case hex.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>Decodes 0x-prefixed (or bare) hex; throws <see cref="FormatException"/> when it is not hex.</summary>
    public static byte[] Decode(string hex)
    {
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        return Convert.FromHexString(digits);
    }

    /// <summary>Decodes a 32-byte hash, or returns false.</summary>
    public static bool TryDecodeHash(string? hex, out byte[] hash)
    {
        hash = Array.Empty<byte>();
        if (hex is null || hex.Length != 66 || !hex.StartsWith("0x", StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            hash = Decode(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
