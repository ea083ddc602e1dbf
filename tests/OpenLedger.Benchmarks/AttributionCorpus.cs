using OpenLedger.Model.Pretraining;
using OpenLedger.Model.Tokenization;

namespace OpenLedger.Benchmarks;

/// <summary>
/// Token sequences for the attribution bench: GPT-2 tokens of the generated general-domain corpus, documents joined
/// by end-of-text and cut into pieces. Held-out text from another seed shares the corpus's stock phrases, as a model's
/// output shares phrases with its training data, so verbatim spans occur without being planted.
/// </summary>
public static class AttributionCorpus
{
    /// <summary><paramref name="count"/> sequences of <paramref name="minTokens"/> to <paramref name="maxTokens"/> tokens, consecutive in the stream of <paramref name="seed"/>.</summary>
    public static List<int[]> Sequences(TextTokenizer tokenizer, int seed, int count, int minTokens, int maxTokens)
    {
        var random = new Random(seed);
        var lengths = Enumerable.Range(0, count).Select(_ => random.Next(minTokens, maxTokens + 1)).ToArray();
        var stream = Stream(tokenizer, seed, lengths.Sum());
        var sequences = new List<int[]>(count);
        var at = 0;
        foreach (var length in lengths)
        {
            sequences.Add(stream.AsSpan(at, length).ToArray());
            at += length;
        }
        return sequences;
    }

    private static int[] Stream(TextTokenizer tokenizer, int seed, int tokens)
    {
        // Generate(seed, n) is a prefix of Generate(seed, 2n): double until the text is long enough.
        for (var documents = 256; ; documents *= 2)
        {
            var stream = GeneralCorpus.Generate(seed, documents).SelectMany(d => tokenizer.Encode(d).Append(tokenizer.EndOfText)).ToArray();
            if (stream.Length >= tokens)
            {
                return stream;
            }
        }
    }
}
