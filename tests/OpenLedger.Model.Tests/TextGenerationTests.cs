using OpenLedger.Model.Serving;
using OpenLedger.Model.Tokenization;
using static TorchSharp.torch;

namespace OpenLedger.Model.Tests;

public sealed class TextGenerationTests
{
    private static readonly TextTokenizer _tokenizer = TextTokenizer.Gpt2();

    [Fact]
    public void Greedy_generation_with_the_cache_equals_argmax_of_full_recomputation()
    {
        using var model = TinyModels.Random(TinyModels.Config(vocab: 50257), seed: 61);
        const string Prompt = "The weather at the harbour";
        var generated = string.Concat(TextGeneration.Generate(model, _tokenizer, Prompt, new SamplingParameters(MaxTokens: 8)));

        var tokens = _tokenizer.Encode(Prompt).Select(t => (long)t).ToList();
        var expected = new List<int>();
        using (no_grad())
        {
            for (var step = 0; step < 8; step++)
            {
                using var logits = model.forward(tensor(tokens.ToArray(), new long[] { 1, tokens.Count }));
                var next = (int)logits[0, -1].argmax().item<long>();
                if (next == _tokenizer.EndOfText)
                {
                    break;
                }
                expected.Add(next);
                tokens.Add(next);
            }
        }
        Assert.Equal(_tokenizer.Decode(expected), generated);
    }

    [Fact]
    public void Sampling_is_reproducible_by_seed_and_top_p_near_zero_is_greedy()
    {
        using var model = TinyModels.Random(TinyModels.Config(vocab: 50257), seed: 62);
        string Run(SamplingParameters p) => string.Concat(TextGeneration.Generate(model, _tokenizer, "Notes for Monday:", p));

        var greedy = Run(new SamplingParameters(MaxTokens: 6));
        Assert.Equal(greedy, Run(new SamplingParameters(MaxTokens: 6, Temperature: 1, TopP: 1e-6, Seed: 3)));
        var first = Run(new SamplingParameters(MaxTokens: 6, Temperature: 1.5, TopP: 0.95, Seed: 11));
        Assert.Equal(first, Run(new SamplingParameters(MaxTokens: 6, Temperature: 1.5, TopP: 0.95, Seed: 11)));
        var others = Enumerable.Range(12, 4).Select(seed => Run(new SamplingParameters(MaxTokens: 6, Temperature: 1.5, Seed: seed))).ToList();
        Assert.Contains(others, o => o != first);
    }

    [Fact]
    public void Generation_stops_at_a_stop_sequence_and_cuts_it_off()
    {
        using var model = TinyModels.Random(TinyModels.Config(vocab: 50257), seed: 63);
        var full = string.Concat(TextGeneration.Generate(model, _tokenizer, "Dear Ana,", new SamplingParameters(MaxTokens: 12)));
        Assert.True(full.Length > 4, full);
        var stop = full.Substring(full.Length / 2, 2);
        var cut = string.Concat(TextGeneration.Generate(model, _tokenizer, "Dear Ana,", new SamplingParameters(MaxTokens: 12, Stop: [stop])));
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], cut);
    }

    [Theory]
    [InlineData(3.0, 1.0, 8, "temperature 3")]
    [InlineData(0.5, 0.0, 8, "top_p 0")]
    [InlineData(0.0, 1.0, 0, "max_tokens 0")]
    [InlineData(0.0, 1.0, 70, "exceeds the model's context of 64 tokens")]
    public void Bad_sampling_parameters_are_refused_by_name(double temperature, double topP, int maxTokens, string expected)
    {
        using var model = TinyModels.Random(TinyModels.Config(vocab: 50257), seed: 64);
        var error = Assert.Throws<InvalidGenerationException>(() =>
            TextGeneration.Generate(model, _tokenizer, "Hello", new SamplingParameters(maxTokens, temperature, topP)).ToList());
        Assert.Contains(expected, error.Message);
    }
}
