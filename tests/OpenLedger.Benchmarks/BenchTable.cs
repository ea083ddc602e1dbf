namespace OpenLedger.Benchmarks;

/// <summary>Prints rows as an aligned text table, so a suite's comparisons read side by side.</summary>
public static class BenchTable
{
    /// <summary>Prints <paramref name="title"/>, then <paramref name="rows"/> (the first is the header) in columns.</summary>
    public static void Print(string title, IReadOnlyList<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows.Max(r => r.Length)).Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        Console.WriteLine();
        Console.WriteLine(title);
        for (var i = 0; i < rows.Count; i++)
        {
            Console.WriteLine("  " + string.Join("  ", rows[i].Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))));
            if (i == 0)
            {
                Console.WriteLine("  " + string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }
}
