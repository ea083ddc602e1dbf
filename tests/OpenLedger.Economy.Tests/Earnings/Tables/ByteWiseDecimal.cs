using System.Numerics;

namespace OpenLedger.Economy.Tests.Earnings.Tables;

/// <summary>
/// An independent reading of a 16-byte little-endian two's-complement value: byte by byte, most significant first,
/// the sign from the top bit, with none of the code under test.
/// </summary>
internal static class ByteWiseDecimal
{
    public static BigInteger Read(ReadOnlySpan<byte> value)
    {
        var negative = (value[15] & 0x80) != 0;
        var magnitude = BigInteger.Zero;
        for (var i = 15; i >= 0; i--)
        {
            // A negative value's magnitude is the complement of its bytes, plus one.
            magnitude = magnitude * 256 + (negative ? (byte)~value[i] : value[i]);
        }
        return negative ? -(magnitude + 1) : magnitude;
    }
}
