using System.Globalization;
using System.Numerics;
using OpenLedger.Client.Chain;

namespace OpenLedger.Cli.Chain;

/// <summary>OPEN amounts and basis points as people read and type them; on chain they are wei and integers.</summary>
public static class EconomyUnits
{
    private const int Decimals = 18;

    /// <summary>Whole OPEN with thousands separators, and any remainder in wei: "1,000 OPEN", "2 + 5 wei".</summary>
    public static string Open(BigInteger wei) =>
        (wei / EconomySettings.Open).ToString("N0", CultureInfo.InvariantCulture) + (wei % EconomySettings.Open == 0 ? "" : $" + {wei % EconomySettings.Open} wei");

    /// <summary>Basis points as a percentage: 3500 is "35%", 125 is "1.25%".</summary>
    public static string Percent(int bps) => (bps / 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>An amount of OPEN typed by a person ("300000000", "0.5", "1_000") in wei.</summary>
    /// <exception cref="CliException">Not a non-negative decimal with at most 18 decimals (<c>invalid_amount</c>).</exception>
    public static BigInteger ParseOpen(string text)
    {
        var plain = text.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim();
        var parts = plain.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.All(char.IsAsciiDigit)) || (parts.Length == 2 && parts[1].Length is 0 or > Decimals))
        {
            throw new CliException($"'{text}' is not an amount of OPEN: write whole tokens (300000000) or a decimal with at most {Decimals} decimals (0.5).", "invalid_amount");
        }
        var fraction = parts.Length == 2 ? parts[1].PadRight(Decimals, '0') : new string('0', Decimals);
        return BigInteger.Parse(parts[0] + fraction, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
