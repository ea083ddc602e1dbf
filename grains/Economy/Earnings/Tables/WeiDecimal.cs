using System.Buffers.Binary;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>
/// Wei as Arrow's decimal128(38, 0): a 16-byte little-endian two's-complement integer, exact for every amount of up
/// to 38 digits. Written and read here from <see cref="BigInteger"/>, never through <see cref="decimal"/> (28 digits)
/// or a float.
/// </summary>
public static class WeiDecimal
{
    /// <summary>The digits a decimal128 holds.</summary>
    public const int Precision = 38;

    /// <summary>The bytes of one value.</summary>
    public const int ByteWidth = 16;

    /// <summary>The column type: decimal128(38, 0).</summary>
    public static Decimal128Type Type { get; } = new(Precision, 0);

    /// <summary>The largest amount the type holds: 10^38 - 1 (the smallest is its negation).</summary>
    public static BigInteger Max { get; } = BigInteger.Pow(10, Precision) - 1;

    /// <summary>Writes <paramref name="wei"/> into <paramref name="destination"/> (16 bytes); false when it has more than 38 digits.</summary>
    public static bool TryWrite(BigInteger wei, Span<byte> destination)
    {
        if (destination.Length < ByteWidth)
        {
            throw new ArgumentException($"A decimal128 value takes {ByteWidth} bytes.", nameof(destination));
        }
        if (wei > Max || wei < -Max)
        {
            return false;
        }
        // Within 38 digits an amount is a 128-bit two's-complement integer; its bytes, least significant first, are the value.
        BinaryPrimitives.WriteInt128LittleEndian(destination, (Int128)wei);
        return true;
    }

    /// <summary>The amount in one 16-byte value.</summary>
    public static BigInteger Read(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadInt128LittleEndian(value);

    /// <summary>The amount in row <paramref name="index"/> of <paramref name="column"/>, or null where the row has none.</summary>
    public static BigInteger? Read(Decimal128Array column, int index)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.IsNull(index) ? null : Read(column.ValueBuffer.Span.Slice((column.Offset + index) * ByteWidth, ByteWidth));
    }
}
