using System.Globalization;
using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>Reads the decimal wei strings events carry, refusing anything that is not a whole uint256 amount.</summary>
internal static class WeiText
{
    /// <summary>The amount in <paramref name="text"/>, or an <see cref="InvalidEarningsEventException"/> naming the field.</summary>
    public static BigInteger Parse(string eventKey, string field, string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.All(char.IsAsciiDigit))
        {
            var problem = text is not null && text.StartsWith('-')
                ? "is negative; OPEN amounts are whole non-negative wei"
                : "is not a decimal integer of wei";
            throw new InvalidEarningsEventException(eventKey, field, text, problem);
        }
        var amount = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (amount > Wei.MaxUInt256)
        {
            throw new InvalidEarningsEventException(eventKey, field, text, "does not fit a uint256");
        }
        return amount;
    }
}
