using OpenLedger.Datanets;

namespace OpenLedger.Economy;

/// <summary>Recipient addresses as the economy stores them: canonical lower-case 0x hex, never the zero address.</summary>
public static class Account
{
    /// <summary>The zero address, where burns go and nothing can be claimed.</summary>
    public const string Zero = "0x0000000000000000000000000000000000000000";

    /// <summary>The canonical form of <paramref name="address"/>; throws <see cref="ArgumentException"/> when it is not a 20-byte hex address or is the zero address.</summary>
    public static string Require(string? address, string name)
    {
        var canonical = EthereumAddress.TryNormalize(address)
            ?? throw new ArgumentException($"'{address}' is not an Ethereum address; use 0x followed by 40 hex digits.", name);
        if (canonical == Zero)
        {
            throw new ArgumentException("The zero address cannot receive OPEN: nothing sent there can ever be claimed.", name);
        }
        return canonical;
    }

    /// <summary>The 32-byte word <c>abi.encode(address)</c> writes: twelve zero bytes, then the address.</summary>
    public static byte[] ToAbiWord(string canonical)
    {
        var word = new byte[32];
        Hex.Decode(canonical).CopyTo(word, 12);
        return word;
    }
}
