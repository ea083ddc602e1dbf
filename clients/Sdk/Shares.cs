using System.Globalization;

namespace OpenLedger.Client;

/// <summary>Attribution shares, which the grid keeps as integer parts per billion, written for people.</summary>
public static class Shares
{
    /// <summary>One whole, in parts per billion.</summary>
    public const long Whole = 1_000_000_000;

    /// <summary>
    /// <paramref name="partsPerBillion"/> as a percentage with <paramref name="decimals"/> places (0 to 7), computed on
    /// integers and rounded half away from zero: 375_000_000 is <c>37.5000%</c>, 1 is <c>0.0000%</c>.
    /// </summary>
    public static string Percent(long partsPerBillion, int decimals = 4)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 7);
        // One percent is 10^7 parts per billion; each decimal place shown divides the unit by ten.
        var unit = (ulong)Pow10(7 - decimals);
        var magnitude = partsPerBillion < 0 ? (ulong)(-(partsPerBillion + 1)) + 1 : (ulong)partsPerBillion;
        var units = magnitude / unit + (magnitude % unit * 2 >= unit ? 1UL : 0UL);
        var scale = (ulong)Pow10(decimals);
        var whole = (units / scale).ToString(CultureInfo.InvariantCulture);
        var sign = partsPerBillion < 0 && units > 0 ? "-" : "";
        return decimals == 0
            ? $"{sign}{whole}%"
            : $"{sign}{whole}.{(units % scale).ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0')}%";
    }

    private static long Pow10(int exponent)
    {
        var value = 1L;
        for (var i = 0; i < exponent; i++)
        {
            value *= 10;
        }
        return value;
    }
}
