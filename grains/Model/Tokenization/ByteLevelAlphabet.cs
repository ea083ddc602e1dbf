namespace OpenLedger.Model.Tokenization;

/// <summary>
/// GPT-2's byte-level alphabet: each of the 256 byte values as one printable character (printable Latin-1 bytes as
/// themselves, the rest shifted past U+0100 in byte order). A byte-level BPE vocabulary holds all 256, or some text
/// cannot be encoded at all.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] _symbols = Build();

    /// <summary>The symbol of every byte value, in byte order.</summary>
    public static IReadOnlyList<char> Symbols => _symbols;

    /// <summary>The byte value <paramref name="symbol"/> stands for.</summary>
    public static int ByteOf(char symbol) => Array.IndexOf(_symbols, symbol);

    private static char[] Build()
    {
        var symbols = new char[256];
        var shifted = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            symbols[b] = printable ? (char)b : (char)(256 + shifted++);
        }
        return symbols;
    }
}
