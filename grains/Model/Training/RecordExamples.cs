using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenLedger.Model.Tokenization;

namespace OpenLedger.Model.Training;

/// <summary>
/// Turns Datanet records (JSON Lines) into training text and tokens, keeping each example's provenance. A record
/// becomes "field: value" lines in the record's own field order, ended by the end-of-text token.
/// </summary>
public static class RecordExamples
{
    /// <summary>The text a record trains on.</summary>
    public static string Render(JsonElement record)
    {
        var text = new StringBuilder();
        foreach (var field in record.EnumerateObject())
        {
            var value = field.Value.ValueKind switch
            {
                JsonValueKind.String => field.Value.GetString(),
                JsonValueKind.Null => null,
                _ => field.Value.GetRawText(),
            };
            if (value is not null)
            {
                text.Append(field.Name).Append(": ").Append(value).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>One example per line of <paramref name="payload"/>, each linked to the contribution it came from.</summary>
    public static IEnumerable<TrainingExample> FromPayload(byte[] payload, TextTokenizer tokenizer, string datanetId, int snapshot, string contributionId, string contributor)
    {
        var index = 0;
        foreach (var line in Encoding.UTF8.GetString(payload).Split('\n'))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            using var record = JsonDocument.Parse(line);
            var tokens = tokenizer.Encode(Render(record.RootElement)).Append(tokenizer.EndOfText).ToArray();
            // A record with no text (all fields null) has nothing to predict; it keeps its index but yields no example.
            if (tokens.Length >= 2)
            {
                yield return new TrainingExample(tokens, new ExampleSource(datanetId, snapshot, contributionId, contributor, index));
            }
            index++;
        }
    }

    /// <summary>
    /// Splits examples into training and validation sets by a hash of each example's provenance, so the split does
    /// not depend on the order examples arrive in. About <paramref name="validationFraction"/> go to validation, at
    /// least one where there are two or more examples.
    /// </summary>
    public static (IReadOnlyList<TrainingExample> Train, IReadOnlyList<TrainingExample> Validation) Split(
        IReadOnlyList<TrainingExample> examples, double validationFraction, long seed)
    {
        var scored = examples
            .Select(e => (Example: e, Score: Score(e.Source, seed)))
            .OrderBy(s => s.Score)
            .ToList();
        var validationCount = examples.Count < 2 ? 0 : Math.Max(1, (int)Math.Round(examples.Count * validationFraction));
        var validation = scored.Take(validationCount).Select(s => s.Example).ToHashSet();
        return (examples.Where(e => !validation.Contains(e)).ToList(), examples.Where(validation.Contains).ToList());
    }

    private static ulong Score(ExampleSource source, long seed)
    {
        var key = Encoding.UTF8.GetBytes($"{seed}|{source.DatanetId}|{source.ContributionId}|{source.RecordIndex}");
        return BitConverter.ToUInt64(SHA256.HashData(key), 0);
    }
}
