using System.Text;
using OpenLedger.Datanets.Records;
using OpenLedger.Testing.Fuzzing;

namespace OpenLedger.Datanets.Tests.Fuzzing;

/// <summary>
/// Contribution payloads (JSON Lines records) fuzzed against a schema with every field kind: each mutant is counted as
/// valid or refused with its line, field and problem; nothing may throw or hang.
/// </summary>
public sealed class RecordFuzzTests
{
    private static readonly RecordValidator _validator = new(
    [
        new FieldRule("title", FieldKind.Text, Required: true, MaxLength: 200),
        new FieldRule("severity", FieldKind.Integer, Required: true, MaxLength: null),
        new FieldRule("score", FieldKind.Number, Required: false, MaxLength: null),
        new FieldRule("confirmed", FieldKind.Boolean, Required: false, MaxLength: null),
        new FieldRule("observed_at", FieldKind.Timestamp, Required: false, MaxLength: null),
    ], allowUnknownFields: false);

    private static readonly byte[][] _seeds =
    [
        Lines("{\"title\":\"Phishing wave\",\"severity\":3,\"score\":0.75,\"confirmed\":true,\"observed_at\":\"2026-01-31T12:00:00Z\"}\n"),
        Lines("{\"title\":\"Ransomware\",\"severity\":5}\r\n{\"title\":\"Port scan\",\"severity\":1,\"confirmed\":false}\r\n"),
        Lines("{\"title\":\"Zero-day in a VPN appliance\",\"severity\":4,\"score\":-1e3,\"observed_at\":\"2025-12-01T00:00:00+02:00\"}"),
    ];

    [Fact]
    public void Records_refuse_every_mutant_with_a_line_and_a_problem() => Run(seed: 1101, mutants: 4_000, longRun: false);

    [Fact]
    [Trait("Category", "Long")]
    public void Records_refuse_every_mutant_with_a_line_and_a_problem_long() => Run(seed: 2101, mutants: 1_200_000, longRun: true);

    private static void Run(int seed, int mutants, bool longRun)
    {
        var campaign = new FuzzCampaign("datanets/records (JSON Lines)", seed, mutants, TimeSpan.FromSeconds(5), new JsonLinesMutator(), _seeds);
        var tally = campaign.Run(payload =>
        {
            var result = _validator.Validate(payload);
            if (result.IsValid)
            {
                return result.RecordCount > 0 ? FuzzVerdict.Accept : FuzzVerdict.Refuse("RecordValidation", "valid with no records");
            }
            return result.Line < 0 ? FuzzVerdict.Refuse("RecordValidation", "")
                : FuzzVerdict.Refuse("MalformedRecord", $"line {result.Line}, field {result.Field ?? "-"}: {result.Problem}");
        });
        FuzzReport.Record(tally, longRun);
        tally.AssertNoDefects();
        Assert.True(tally.Accepted > 0 && tally.Refused.Values.Sum() > 0, $"accepted {tally.Accepted}, refused {tally.Refused.Values.Sum()}");
    }

    private static byte[] Lines(string text) => Encoding.UTF8.GetBytes(text);

    // Mutates one line as JSON, or the whole payload as bytes (joins, cuts and blank lines included).
    private sealed class JsonLinesMutator : IMutator
    {
        private readonly JsonMutator _json = new(longestText: 5_000);
        private readonly ByteMutator _bytes = new(longestText: 5_000, deepestNesting: 2_000);

        public byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> seeds, Random random)
        {
            if (random.Next(2) == 0)
            {
                return _bytes.Mutate(seed, seeds, random);
            }
            var lines = Encoding.UTF8.GetString(seed).Split('\n').ToList();
            var at = random.Next(lines.Count);
            lines[at] = Encoding.UTF8.GetString(_json.Mutate(Encoding.UTF8.GetBytes(lines[at].TrimEnd('\r')), seeds, random));
            return Encoding.UTF8.GetBytes(string.Join('\n', lines));
        }
    }
}
