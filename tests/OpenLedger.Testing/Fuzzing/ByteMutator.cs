using System.Buffers.Binary;
using System.Text;

namespace OpenLedger.Testing.Fuzzing;

/// <summary>
/// Format-blind mutations: bit flips, structural bytes, cuts, copies, splices, boundary integers written over digits,
/// deep nesting, invalid UTF-8, non-numbers, long runs of text and huge 8-byte length prefixes.
/// </summary>
/// <param name="longestText">The longest run of text one mutation inserts.</param>
/// <param name="deepestNesting">The most brackets one mutation opens.</param>
public sealed class ByteMutator(int longestText = 70_000, int deepestNesting = 5_000) : IMutator
{
    private delegate List<byte> Mutation(List<byte> input, IReadOnlyList<byte[]> seeds, Random random);

    private Mutation[] Mutations =>
    [
        FlipBit, SetStructuralByte, DeleteRange, DuplicateRange, Splice, Truncate, InsertInteger, ReplaceDigits,
        Nest, InsertInvalidUtf8, InsertNonNumber, InsertLongText, OverwriteLength, InsertFragment,
    ];

    /// <inheritdoc />
    public byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> seeds, Random random)
    {
        var input = new List<byte>(seed);
        var mutations = Mutations;
        for (var rounds = random.Next(1, 4); rounds > 0; rounds--)
        {
            input = mutations[random.Next(mutations.Length)](input, seeds, random);
        }
        return [.. input];
    }

    private static int Position(List<byte> input, Random random) => random.Next(input.Count + 1);

    private static List<byte> FlipBit(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        if (input.Count > 0)
        {
            input[random.Next(input.Count)] ^= (byte)(1 << random.Next(8));
        }
        return input;
    }

    private static List<byte> SetStructuralByte(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        var value = FuzzValues.StructuralBytes[random.Next(FuzzValues.StructuralBytes.Length)];
        if (input.Count > 0 && random.Next(2) == 0)
        {
            input[random.Next(input.Count)] = value;
        }
        else
        {
            input.Insert(Position(input, random), value);
        }
        return input;
    }

    private static List<byte> DeleteRange(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        if (input.Count > 0)
        {
            var start = random.Next(input.Count);
            input.RemoveRange(start, random.Next(1, Math.Min(input.Count - start, 64) + 1));
        }
        return input;
    }

    private static List<byte> DuplicateRange(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        if (input.Count > 0)
        {
            var start = random.Next(input.Count);
            var copy = input.GetRange(start, random.Next(1, Math.Min(input.Count - start, 256) + 1));
            for (var times = random.Next(1, 4); times > 0; times--)
            {
                input.InsertRange(Position(input, random), copy);
            }
        }
        return input;
    }

    private static List<byte> Splice(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        var other = seeds[random.Next(seeds.Count)];
        var cut = Position(input, random);
        var from = random.Next(other.Length + 1);
        return [.. input.Take(cut), .. other.Skip(from)];
    }

    private static List<byte> Truncate(List<byte> input, IReadOnlyList<byte[]> seeds, Random random) =>
        input.GetRange(0, random.Next(input.Count + 1));

    private static List<byte> InsertInteger(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        input.InsertRange(Position(input, random), FuzzValues.Utf8(FuzzValues.Integers[random.Next(FuzzValues.Integers.Length)]));
        return input;
    }

    // Finds a run of digits (a number in text formats) and writes a boundary integer over it.
    private static List<byte> ReplaceDigits(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        var digits = Enumerable.Range(0, input.Count).Where(i => char.IsAsciiDigit((char)input[i]) && (i == 0 || !char.IsAsciiDigit((char)input[i - 1]))).ToList();
        if (digits.Count == 0)
        {
            return InsertInteger(input, seeds, random);
        }
        var start = digits[random.Next(digits.Count)];
        var end = start;
        while (end < input.Count && (char.IsAsciiDigit((char)input[end]) || input[end] is (byte)'.' or (byte)'-' or (byte)'e' or (byte)'E'))
        {
            end++;
        }
        var value = random.Next(4) == 0
            ? FuzzValues.NonNumbers[random.Next(FuzzValues.NonNumbers.Length)]
            : FuzzValues.Integers[random.Next(FuzzValues.Integers.Length)];
        input.RemoveRange(start, end - start);
        input.InsertRange(start, FuzzValues.Utf8(value));
        return input;
    }

    private List<byte> Nest(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        var depth = random.Next(2) == 0 ? random.Next(1, 80) : random.Next(deepestNesting / 4, deepestNesting + 1);
        var (open, close) = random.Next(3) switch
        {
            0 => ("[", "]"),
            1 => ("{\"a\":", "}"),
            _ => ("[{\"a\":", "}]"),
        };
        var at = Position(input, random);
        var closed = random.Next(2) == 0;
        var text = new StringBuilder();
        text.Insert(0, open, depth).Append('0');
        if (closed)
        {
            text.Insert(text.Length, close, depth);
        }
        input.InsertRange(at, FuzzValues.Utf8(text.ToString()));
        return input;
    }

    private static List<byte> InsertInvalidUtf8(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        input.InsertRange(Position(input, random), FuzzValues.InvalidUtf8[random.Next(FuzzValues.InvalidUtf8.Length)]);
        return input;
    }

    private static List<byte> InsertNonNumber(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        input.InsertRange(Position(input, random), FuzzValues.Utf8(FuzzValues.NonNumbers[random.Next(FuzzValues.NonNumbers.Length)]));
        return input;
    }

    private List<byte> InsertLongText(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        var text = FuzzValues.LongText(random, longestText);
        input.InsertRange(Position(input, random), FuzzValues.Utf8(random.Next(2) == 0 ? text : $"\"{text}\""));
        return input;
    }

    // Length prefixes sit at the start of binary formats; elsewhere this is a burst of eight odd bytes.
    private static List<byte> OverwriteLength(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, FuzzValues.Lengths[random.Next(FuzzValues.Lengths.Length)]);
        var at = random.Next(3) == 0 ? Position(input, random) : 0;
        for (var i = 0; i < 8; i++)
        {
            if (at + i < input.Count)
            {
                input[at + i] = bytes[i];
            }
            else
            {
                input.Add(bytes[i]);
            }
        }
        return input;
    }

    private static List<byte> InsertFragment(List<byte> input, IReadOnlyList<byte[]> seeds, Random random)
    {
        input.InsertRange(Position(input, random), FuzzValues.Utf8(FuzzValues.Fragments[random.Next(FuzzValues.Fragments.Length)]));
        return input;
    }
}
