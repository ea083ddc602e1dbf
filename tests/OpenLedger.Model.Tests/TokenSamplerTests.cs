using OpenLedger.Model.Serving;
using static TorchSharp.torch;

namespace OpenLedger.Model.Tests;

/// <summary>Batched sampling draws from the distribution top-p and temperature define, row by row.</summary>
public sealed class TokenSamplerTests
{
    [Fact]
    public void Top_p_sampling_keeps_the_nucleus_and_draws_in_proportion()
    {
        // Probabilities 0.5, 0.3, 0.15, 0.05; top_p 0.8 keeps the first two, renormalised to 0.625 and 0.375.
        const int Rows = 4000;
        var probabilities = new[] { 0.5, 0.3, 0.15, 0.05 };
        using var logits = tensor(probabilities.Select(p => (float)Math.Log(p)).ToArray()).unsqueeze(0).expand(Rows, 4).contiguous();
        var samplers = Enumerable.Range(0, Rows).Select(seed => new TokenSampler(new SamplingParameters(Temperature: 1, TopP: 0.8, Seed: seed))).ToList();

        var tokens = TokenSampler.NextBatch(logits, samplers);

        Assert.All(tokens, t => Assert.InRange(t, 0, 1));
        Assert.InRange(tokens.Count(t => t == 0) / (double)Rows, 0.625 - 0.03, 0.625 + 0.03);
        samplers.ForEach(s => s.Dispose());
    }

    [Fact]
    public void Temperature_sharpens_and_greedy_rows_take_the_argmax_in_the_same_batch()
    {
        // At temperature 0.5 the probabilities become proportional to p^2: 0.25/0.34 for the first of 0.5 and 0.3, ...
        const int Rows = 4000;
        var probabilities = new[] { 0.5, 0.3, 0.2 };
        var squared = probabilities.Select(p => p * p).ToArray();
        var expectedFirst = squared[0] / squared.Sum();
        using var logits = tensor(probabilities.Select(p => (float)Math.Log(p)).ToArray()).unsqueeze(0).expand(Rows, 3).contiguous();
        var samplers = Enumerable.Range(0, Rows)
            .Select(i => new TokenSampler(i % 2 == 0 ? new SamplingParameters(Temperature: 0.5, Seed: i) : new SamplingParameters())).ToList();

        var tokens = TokenSampler.NextBatch(logits, samplers);

        Assert.All(tokens.Where((_, i) => i % 2 == 1), t => Assert.Equal(0, t));
        var sampled = tokens.Where((_, i) => i % 2 == 0).ToList();
        Assert.InRange(sampled.Count(t => t == 0) / (double)sampled.Count, expectedFirst - 0.03, expectedFirst + 0.03);
        samplers.ForEach(s => s.Dispose());
    }
}
