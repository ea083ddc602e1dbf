using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace OpenLedger.Attribution.Influence;

/// <summary>
/// The stored form of a <see cref="DataInf"/> inverse, all little-endian:
/// "OLDI" · uint32 version (1) · int32 examples · int32 block count ·
/// per block: int32 name byte count, UTF-8 name, int32 offset, int32 length, float64 damping ·
/// per block: length × length float64, row-major ·
/// uint32 CRC-32C of every byte before it.
/// Reading checks each field as it arrives, so a damaged file fails with <see cref="InvalidDataException"/> naming
/// what is wrong, before any large allocation it could not back with data.
/// </summary>
internal static class DataInfFile
{
    /// <summary>The format version written, and the only one read.</summary>
    public const uint Version = 1;

    private const int MaxBlocks = 1 << 16;
    private const int MaxNameBytes = 1024;
    private static readonly byte[] _magic = "OLDI"u8.ToArray();
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Write(DataInf inverse, Stream stream)
    {
        var writer = new ChecksumWriter(stream);
        writer.Write(_magic);
        writer.WriteUInt32(Version);
        writer.WriteInt32(inverse.Examples);
        writer.WriteInt32(inverse.Blocks.Count);
        for (var l = 0; l < inverse.Blocks.Count; l++)
        {
            var block = inverse.Blocks[l];
            var name = _strictUtf8.GetBytes(block.Name);
            writer.WriteInt32(name.Length);
            writer.Write(name);
            writer.WriteInt32(block.Offset);
            writer.WriteInt32(block.Length);
            writer.WriteDouble(inverse.Damping(l));
        }
        for (var l = 0; l < inverse.Blocks.Count; l++)
        {
            foreach (var value in inverse.Inverse(l))
            {
                writer.WriteDouble(value);
            }
        }
        writer.Finish();
    }

    public static DataInf Read(Stream stream)
    {
        var reader = new ChecksumReader(stream);
        Span<byte> magic = stackalloc byte[4];
        reader.Read(magic, "the magic");
        if (!magic.SequenceEqual(_magic))
        {
            throw new InvalidDataException($"Not a DataInf file: it starts with 0x{Convert.ToHexString(magic)}, not \"OLDI\".");
        }
        var version = reader.ReadUInt32("the version");
        if (version != Version)
        {
            throw new InvalidDataException($"DataInf file version {version} is not supported; this build reads version {Version}.");
        }
        var examples = reader.ReadInt32("the example count");
        if (examples < 1)
        {
            throw new InvalidDataException($"The file says the inverse was fitted on {examples} examples; at least 1 is needed.");
        }
        var count = reader.ReadInt32("the block count");
        if (count is < 1 or > MaxBlocks)
        {
            throw new InvalidDataException($"The file declares {count} blocks; between 1 and {MaxBlocks} are expected.");
        }
        var blocks = new LayerBlock[count];
        var damping = new double[count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        long matrixBytes = 0;
        for (var l = 0; l < count; l++)
        {
            var nameBytes = reader.ReadInt32($"block {l}'s name length");
            if (nameBytes is < 1 or > MaxNameBytes)
            {
                throw new InvalidDataException($"Block {l}'s name is {nameBytes} bytes long; between 1 and {MaxNameBytes} are expected.");
            }
            var nameBuffer = new byte[nameBytes];
            reader.Read(nameBuffer, $"block {l}'s name");
            string name;
            try
            {
                name = _strictUtf8.GetString(nameBuffer);
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataException($"Block {l}'s name is not valid UTF-8.", e);
            }
            var blockOffset = reader.ReadInt32($"block '{name}''s offset");
            var length = reader.ReadInt32($"block '{name}''s length");
            if (blockOffset != offset)
            {
                throw new InvalidDataException($"Block '{name}' starts at {blockOffset}; blocks are contiguous, so {offset} was expected.");
            }
            if (length is < 1 or > DataInf.MaxBlockLength)
            {
                throw new InvalidDataException($"Block '{name}' has length {length}; lengths run from 1 to {DataInf.MaxBlockLength}.");
            }
            damping[l] = reader.ReadDouble($"block '{name}''s damping");
            if (!double.IsFinite(damping[l]) || damping[l] <= 0)
            {
                throw new InvalidDataException($"Block '{name}' has damping {damping[l]}; a positive finite number is expected.");
            }
            if (!names.Add(name))
            {
                throw new InvalidDataException($"The block name '{name}' appears twice.");
            }
            blocks[l] = new LayerBlock(name, blockOffset, length);
            offset += length;
            matrixBytes += (long)length * length * sizeof(double);
        }
        if (offset > int.MaxValue)
        {
            throw new InvalidDataException($"The blocks cover {offset} dimensions; a row holds at most {int.MaxValue}.");
        }
        reader.Expect(matrixBytes + sizeof(uint));

        var inverses = new double[count][];
        for (var l = 0; l < count; l++)
        {
            var length = blocks[l].Length;
            var matrix = new double[length * length];
            reader.ReadDoubles(matrix, $"block '{blocks[l].Name}''s matrix");
            for (var k = 0; k < matrix.Length; k++)
            {
                if (!double.IsFinite(matrix[k]))
                {
                    throw new InvalidDataException($"Block '{blocks[l].Name}' has the non-finite value {matrix[k]} at row {k / length}, column {k % length}.");
                }
            }
            inverses[l] = matrix;
        }
        reader.CheckChecksum();
        return new DataInf(blocks, damping, inverses, examples);
    }

    // CRC-32C (Castagnoli) of a byte sequence, whatever the chunks it arrives in.
    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        for (; i + sizeof(ulong) <= bytes.Length; i += sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]));
        }
        for (; i < bytes.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, bytes[i]);
        }
        return crc;
    }

    /// <summary>Buffers writes and keeps the checksum of everything written.</summary>
    private sealed class ChecksumWriter(Stream stream)
    {
        private readonly Stream _stream = stream;
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _used;
        private uint _crc = uint.MaxValue;

        public void WriteInt32(int value)
        {
            Span<byte> bytes = stackalloc byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            Write(bytes);
        }

        public void WriteUInt32(uint value)
        {
            Span<byte> bytes = stackalloc byte[sizeof(uint)];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            Write(bytes);
        }

        public void WriteDouble(double value)
        {
            Span<byte> bytes = stackalloc byte[sizeof(double)];
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
            Write(bytes);
        }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                if (_used == _buffer.Length)
                {
                    Flush();
                }
                var take = Math.Min(bytes.Length, _buffer.Length - _used);
                bytes[..take].CopyTo(_buffer.AsSpan(_used));
                _used += take;
                bytes = bytes[take..];
            }
        }

        /// <summary>Appends the checksum and flushes.</summary>
        public void Finish()
        {
            Flush();
            var crc = ~_crc;
            Span<byte> bytes = stackalloc byte[sizeof(uint)];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, crc);
            _stream.Write(bytes);
            _stream.Flush();
        }

        private void Flush()
        {
            _crc = Crc(_crc, _buffer.AsSpan(0, _used));
            _stream.Write(_buffer, 0, _used);
            _used = 0;
        }
    }

    /// <summary>Reads exact fields, naming the field a truncated stream ends in, and keeps the checksum of everything read.</summary>
    private sealed class ChecksumReader(Stream stream)
    {
        private readonly Stream _stream = stream;
        private uint _crc = uint.MaxValue;

        public void Read(Span<byte> bytes, string field)
        {
            if (_stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
            {
                throw new InvalidDataException($"The DataInf file is truncated: it ends inside {field}.");
            }
            _crc = Crc(_crc, bytes);
        }

        public int ReadInt32(string field)
        {
            Span<byte> bytes = stackalloc byte[sizeof(int)];
            Read(bytes, field);
            return BinaryPrimitives.ReadInt32LittleEndian(bytes);
        }

        public uint ReadUInt32(string field)
        {
            Span<byte> bytes = stackalloc byte[sizeof(uint)];
            Read(bytes, field);
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        }

        public double ReadDouble(string field)
        {
            Span<byte> bytes = stackalloc byte[sizeof(double)];
            Read(bytes, field);
            return BinaryPrimitives.ReadDoubleLittleEndian(bytes);
        }

        public void ReadDoubles(Span<double> values, string field)
        {
            Span<byte> bytes = stackalloc byte[4096];
            while (!values.IsEmpty)
            {
                var take = Math.Min(values.Length, bytes.Length / sizeof(double));
                var chunk = bytes[..(take * sizeof(double))];
                Read(chunk, field);
                for (var k = 0; k < take; k++)
                {
                    values[k] = BinaryPrimitives.ReadDoubleLittleEndian(chunk[(k * sizeof(double))..]);
                }
                values = values[take..];
            }
        }

        /// <summary>Where the stream knows its length, refuses a file shorter than its header declares before allocating for it.</summary>
        public void Expect(long bytes)
        {
            if (_stream.CanSeek && _stream.Length - _stream.Position < bytes)
            {
                throw new InvalidDataException($"The DataInf file is truncated: its header declares {bytes} more bytes, but {_stream.Length - _stream.Position} remain.");
            }
        }

        public void CheckChecksum()
        {
            var expected = ~_crc;
            var stored = ReadUInt32("the checksum");
            if (stored != expected)
            {
                throw new InvalidDataException($"The DataInf file is corrupt: its checksum is 0x{stored:x8}, its contents give 0x{expected:x8}.");
            }
        }
    }
}
