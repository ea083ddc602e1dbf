using System.Buffers.Binary;

namespace OpenLedger.Testing.Fuzzing;

/// <summary>
/// Mutations for formats made of an 8-byte little-endian header length, a JSON header and a data section (safetensors):
/// the header is mutated as JSON and its length written back (or left stale), the data section cut or grown, or the
/// whole file mutated as bytes.
/// </summary>
/// <param name="json">Mutates the header.</param>
/// <param name="bytes">Mutates the whole file.</param>
public sealed class LengthPrefixedJsonMutator(JsonMutator json, ByteMutator bytes) : IMutator
{
    /// <inheritdoc />
    public byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> seeds, Random random)
    {
        if (seed.Length < 8 || random.Next(4) == 0)
        {
            return bytes.Mutate(seed, seeds, random);
        }
        var length = BinaryPrimitives.ReadUInt64LittleEndian(seed);
        if (length > (ulong)(seed.Length - 8))
        {
            return bytes.Mutate(seed, seeds, random);
        }
        var header = seed[8..(8 + (int)length)];
        var data = seed[(8 + (int)length)..];
        switch (random.Next(3))
        {
            case 0:
                header = json.Mutate(header, [header], random);
                break;
            case 1:
                data = data[..random.Next(data.Length + 1)];
                break;
            default:
                data = [.. data, .. new byte[random.Next(1, 64)]];
                break;
        }
        var prefix = new byte[8];
        // Mostly the true length, so the header's content is what gets tested; sometimes the old one, now wrong.
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, random.Next(5) == 0 ? length : (ulong)header.Length);
        return [.. prefix, .. header, .. data];
    }
}
