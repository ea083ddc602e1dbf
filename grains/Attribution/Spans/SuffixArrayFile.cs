using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace OpenLedger.Attribution.Spans;

/// <summary>
/// A suffix array as stored in Blob storage: the magic "OLSA", a version, the counts, then the document starts, the
/// token stream and the suffix order as little-endian int32 arrays. Reading checks every count and range, so a
/// truncated or altered file is refused with <see cref="InvalidDataException"/> instead of giving wrong answers.
/// </summary>
public static class SuffixArrayFile
{
    private const uint Magic = 0x41534C4F; // "OLSA"
    private const int Version = 1;

    /// <summary>Writes <paramref name="index"/> to <paramref name="output"/>.</summary>
    public static void Write(Stream output, SuffixArray index)
    {
        var corpus = index.Corpus;
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], corpus.Documents);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], corpus.Tokens.Length);
        output.Write(header);
        WriteInts(output, corpus.Starts);
        WriteInts(output, corpus.Tokens);
        WriteInts(output, index.Suffixes);
    }

    /// <summary>Reads an index written by <see cref="Write"/>.</summary>
    public static SuffixArray Read(Stream input)
    {
        Span<byte> header = stackalloc byte[16];
        ReadExactly(input, header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            throw new InvalidDataException("Not a suffix array file (the magic bytes are wrong).");
        }
        var version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (version != Version)
        {
            throw new InvalidDataException($"Suffix array file version {version} is not supported (expected {Version}); rebuild the index.");
        }
        var documents = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        if (documents < 1 || length < documents)
        {
            throw new InvalidDataException($"Suffix array file claims {documents} documents in {length} tokens.");
        }
        var starts = ReadInts(input, documents);
        var tokens = ReadInts(input, length);
        var suffixes = ReadInts(input, length);
        for (var d = 0; d < documents; d++)
        {
            if (starts[d] < 0 || starts[d] >= length || (d > 0 && starts[d] <= starts[d - 1]))
            {
                throw new InvalidDataException($"Document {d} starts at {starts[d]}, outside the stream or out of order.");
            }
        }
        var seen = new bool[length];
        foreach (var suffix in suffixes)
        {
            if (suffix < 0 || suffix >= length || seen[suffix])
            {
                throw new InvalidDataException($"The suffix order names position {suffix} twice or outside the stream.");
            }
            seen[suffix] = true;
        }
        return SuffixArray.FromParts(TokenCorpus.FromStream(tokens, starts), suffixes);
    }

    private static void WriteInts(Stream output, ReadOnlySpan<int> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Suffix array files are written on little-endian machines.");
        }
        output.Write(MemoryMarshal.AsBytes(values));
    }

    private static int[] ReadInts(Stream input, int count)
    {
        var values = new int[count];
        ReadExactly(input, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static void ReadExactly(Stream input, Span<byte> buffer)
    {
        try
        {
            input.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("The suffix array file ends early (truncated?).");
        }
    }
}
