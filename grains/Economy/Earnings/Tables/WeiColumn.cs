using System.Globalization;
using System.Numerics;
using Apache.Arrow;

namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>
/// Builds one decimal128(38, 0) column from the decimal wei strings the grain's pages carry or the index's integers,
/// writing each value's bytes itself (<see cref="WeiDecimal.TryWrite"/>); an amount it cannot hold exactly refuses the row by name.
/// </summary>
internal sealed class WeiColumn(string table, string column)
{
    private readonly ArrowBuffer.BitmapBuilder _validity = new();
    private byte[] _values = new byte[WeiDecimal.ByteWidth * 1024];
    private int _count;
    private int _nulls;

    /// <summary>Appends <paramref name="wei"/> (null for no amount) as row <paramref name="row"/>, named by <paramref name="rowKey"/> in errors.</summary>
    public void Append(BigInteger? wei, long row, Func<string> rowKey)
    {
        Grow();
        if (wei is not { } amount)
        {
            AppendNull();
            return;
        }
        Write(amount, null, row, rowKey);
    }

    /// <summary>Appends <paramref name="wei"/> (null for no amount) as row <paramref name="row"/> of the table, named by <paramref name="rowKey"/> in errors.</summary>
    public void Append(string? wei, long row, Func<string> rowKey)
    {
        Grow();
        if (wei is null)
        {
            AppendNull();
            return;
        }
        // Whole wei only: digits with an optional minus sign, nothing a float or a decimal point could round.
        if (!BigInteger.TryParse(wei, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            throw new WeiNotRepresentableException(table, row, rowKey(), column, wei, "is not a whole number of wei");
        }
        Write(amount, wei, row, rowKey);
    }

    private void Write(BigInteger amount, string? text, long row, Func<string> rowKey)
    {
        if (!WeiDecimal.TryWrite(amount, _values.AsSpan(_count * WeiDecimal.ByteWidth, WeiDecimal.ByteWidth)))
        {
            throw new WeiNotRepresentableException(table, row, rowKey(), column, text ?? amount.ToString(CultureInfo.InvariantCulture),
                $"has {BigInteger.Abs(amount).ToString(CultureInfo.InvariantCulture).Length} digits, more than decimal128(38, 0) holds");
        }
        _validity.Append(true);
        _count++;
    }

    private void AppendNull()
    {
        _validity.Append(false);
        _nulls++;
        _count++;
    }

    private void Grow()
    {
        if (_values.Length < (_count + 1) * WeiDecimal.ByteWidth)
        {
            System.Array.Resize(ref _values, _values.Length * 2);
        }
    }

    /// <summary>The column.</summary>
    public Decimal128Array Build()
    {
        var values = new ArrowBuffer(_values.AsMemory(0, _count * WeiDecimal.ByteWidth));
        var validity = _nulls == 0 ? ArrowBuffer.Empty : _validity.Build();
        return new Decimal128Array(new ArrayData(WeiDecimal.Type, _count, _nulls, 0, [validity, values]));
    }
}
