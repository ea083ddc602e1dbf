using System.Buffers.Binary;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>
/// Builds one utf8 column whose missing values are nulls, encoding straight into the column's offset and data
/// buffers: a table of a million rows has several million strings, and Arrow's general builder spends most of an
/// export's time on them.
/// </summary>
internal sealed class TextColumn
{
    private readonly ArrowBuffer.BitmapBuilder _validity = new();
    private byte[] _offsets = new byte[sizeof(int) * 1025];
    private byte[] _data = new byte[32 * 1024];
    private int _count;
    private int _length;
    private int _nulls;

    /// <summary>Appends <paramref name="value"/>, or a null.</summary>
    public void Append(string? value)
    {
        if (_offsets.Length < (_count + 2) * sizeof(int))
        {
            System.Array.Resize(ref _offsets, _offsets.Length * 2);
        }
        if (value is null)
        {
            _validity.Append(false);
            _nulls++;
        }
        else
        {
            var most = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (_data.Length - _length < most)
            {
                System.Array.Resize(ref _data, Math.Max(_data.Length * 2, _length + most));
            }
            _length += Encoding.UTF8.GetBytes(value, _data.AsSpan(_length));
            _validity.Append(true);
        }
        _count++;
        BinaryPrimitives.WriteInt32LittleEndian(_offsets.AsSpan(_count * sizeof(int)), _length);
    }

    /// <summary>The column.</summary>
    public StringArray Build()
    {
        var validity = _nulls == 0 ? ArrowBuffer.Empty : _validity.Build();
        var offsets = new ArrowBuffer(_offsets.AsMemory(0, (_count + 1) * sizeof(int)));
        var data = new ArrowBuffer(_data.AsMemory(0, _length));
        return new StringArray(new ArrayData(StringType.Default, _count, _nulls, 0, [validity, offsets, data]));
    }
}
