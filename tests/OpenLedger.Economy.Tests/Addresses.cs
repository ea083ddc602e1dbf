using System.Globalization;

namespace OpenLedger.Economy.Tests;

/// <summary>Deterministic test addresses: 0x followed by the number in 40 hex digits.</summary>
internal static class Addresses
{
    public static string Of(int n) => "0x" + n.ToString("x40", CultureInfo.InvariantCulture);
}
