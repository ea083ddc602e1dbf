using System.Text.RegularExpressions;

namespace OpenLedger.Datanets;

/// <summary>Ethereum addresses in the one form the grid stores and compares: 0x + 40 lower-case hex digits.</summary>
public static partial class EthereumAddress
{
    /// <summary>Returns the canonical form of <paramref name="address"/>, or null when it is not a 20-byte hex address.</summary>
    public static string? TryNormalize(string? address)
    {
        if (address is null || !AddressPattern().IsMatch(address))
        {
            return null;
        }
        return "0x" + address[2..].ToLowerInvariant();
    }

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex AddressPattern();
}
