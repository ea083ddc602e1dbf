using System.Diagnostics;
using System.Text;

namespace OpenLedger.Testing.Fuzzing;

/// <summary>What one parser did with every input of a campaign, and the defects found, each with what reproduces it.</summary>
public sealed class FuzzTally(string parser, int seed, int mutants)
{
    private const int DefectsShown = 8;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _defects = [];

    /// <summary>The parser's name in the report.</summary>
    public string Parser { get; } = parser;

    /// <summary>The campaign's seed.</summary>
    public int Seed { get; } = seed;

    /// <summary>Mutants asked for (besides the seed inputs themselves).</summary>
    public int Mutants { get; } = mutants;

    /// <summary>Inputs run: the seeds and their mutants.</summary>
    public int Inputs { get; private set; }

    /// <summary>Inputs taken.</summary>
    public int Accepted { get; private set; }

    /// <summary>Refusals by kind.</summary>
    public SortedDictionary<string, int> Refused { get; } = new(StringComparer.Ordinal);

    /// <summary>Defects found.</summary>
    public int Defects => _defects.Count;

    /// <summary>The slowest input, in milliseconds.</summary>
    public double SlowestMs { get; private set; }

    /// <summary>Seconds the campaign took.</summary>
    public double Seconds => _clock.Elapsed.TotalSeconds;

    /// <summary>Counts an answer that is no defect.</summary>
    public void Count(FuzzVerdict verdict, TimeSpan took)
    {
        Inputs++;
        SlowestMs = Math.Max(SlowestMs, took.TotalMilliseconds);
        if (verdict.Accepted)
        {
            Accepted++;
        }
        else
        {
            Refused[verdict.Kind!] = Refused.GetValueOrDefault(verdict.Kind!) + 1;
        }
    }

    /// <summary>Counts a defect, with what it takes to reproduce it.</summary>
    public void Defect(int iteration, byte[] input, string what)
    {
        Inputs++;
        _defects.Add($"{Parser}: {what}\n  reproduce: seed {Seed}, iteration {iteration}, {input.Length} bytes\n  input: {Show(input)}");
    }

    /// <summary>Throws, listing the first defects, when there are any.</summary>
    public void AssertNoDefects()
    {
        _clock.Stop();
        if (_defects.Count > 0)
        {
            // One example of each kind first (the kind is the line up to the first colon), so a common defect hides no rarer one.
            var examples = _defects.GroupBy(d => d[..Math.Min(d.IndexOf('\n'), Parser.Length + 80)]).Select(g => g.First()).Take(DefectsShown);
            throw new FuzzDefectException($"{_defects.Count} defect(s) in {Inputs} inputs; one of each kind:\n" + string.Join("\n", examples));
        }
    }

    /// <summary>An input as escaped text when it is mostly text, else as hex; long inputs are cut, since seed and iteration reproduce them.</summary>
    public static string Show(byte[] input)
    {
        const int shown = 400;
        var printable = input.Count(b => b is >= 0x20 and < 0x7F or (byte)'\n' or (byte)'\r' or (byte)'\t');
        var cut = input.Length > shown ? $" ... ({input.Length - shown} more bytes)" : "";
        if (input.Length == 0 || printable * 10 >= input.Length * 9)
        {
            var text = new StringBuilder();
            foreach (var b in input.Take(shown))
            {
                text.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
            }
            return $"\"{text}\"{cut}";
        }
        return "hex " + Convert.ToHexStringLower(input.AsSpan(0, Math.Min(input.Length, shown))) + cut;
    }
}
