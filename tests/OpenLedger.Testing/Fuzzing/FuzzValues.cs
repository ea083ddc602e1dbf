using System.Text;

namespace OpenLedger.Testing.Fuzzing;

/// <summary>The values that break parsers most often: integer boundaries, non-numbers, bad UTF-8, long text.</summary>
public static class FuzzValues
{
    /// <summary>Integers at the edges of every width a parser might store them in, as JSON number text.</summary>
    public static readonly string[] Integers =
    [
        "0", "-0", "1", "-1", "2", "7", "8", "255", "256", "-129", "65535", "65536",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
        "2305843009213693952", "4611686018427387904", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "115792089237316195423570985008687907853269984665640564039457584007913129639935",
        "115792089237316195423570985008687907853269984665640564039457584007913129639936",
        "1e400", "-1e400", "1e-400", "0.5", "-0.0", "1.0", "1E2", "123456789012345678901234567890",
    ];

    /// <summary>Tokens that are not JSON numbers but look like them to some readers.</summary>
    public static readonly string[] NonNumbers = ["NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "0x10", "+1", "01", ".5", "1.", "1e", "--1"];

    /// <summary>Byte sequences that are not valid UTF-8: a lone continuation, an overlong form, a surrogate, bytes never used.</summary>
    public static readonly byte[][] InvalidUtf8 =
    [
        [0x80], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFF], [0xFE], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ];

    /// <summary>JSON fragments of every kind, for replacing a value with one of the wrong type.</summary>
    public static readonly string[] Fragments =
    [
        "null", "true", "false", "\"\"", "[]", "{}", "[null]", "{\"\":null}", "\"\\u0000\"", "\"\\ud800\"", "\" \"", "[[]]", "\"0x\"",
    ];

    /// <summary>Bytes that end or open JSON structures.</summary>
    public static readonly byte[] StructuralBytes = "\"{}[],:\\\n\r\t 0"u8.ToArray();

    /// <summary>Unsigned 64-bit values for length prefixes: zero, tiny, just past a 32-bit int, huge.</summary>
    public static readonly ulong[] Lengths =
    [
        0, 1, 2, 7, 8, 0x7F, 0xFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000, 100 * 1024 * 1024, (100 * 1024 * 1024) + 1,
        long.MaxValue, (ulong)long.MaxValue + 1, ulong.MaxValue, ulong.MaxValue - 7,
    ];

    /// <summary>A long run of text, long enough to find missing length limits but bounded so one input stays cheap.</summary>
    public static string LongText(Random random, int longest) =>
        new((char)random.Next('a', 'z' + 1), random.Next(longest / 4, longest + 1));

    /// <summary>Text as UTF-8.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
