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

    [Fact]
    public void A_nucleus_wider_than_the_partial_sort_is_still_cut_exactly()
    {
        // 1,000 tokens with probability falling linearly: top_p 0.5 keeps the first n whose preceding mass is < 0.5,
        // far more than the partial sort's candidates, so the full-sort fallback decides.
        const int Vocab = 1000, Rows = 2000;
        var weights = Enumerable.Range(0, Vocab).Select(i => (double)(Vocab - i)).ToArray();
        var total = weights.Sum();
        var before = 0.0;
        var lastKept = 0;
        for (var i = 0; i < Vocab && before < 0.5; i++)
        {
            lastKept = i;
            before += weights[i] / total;
        }
        using var logits = tensor(weights.Select(w => (float)Math.Log(w / total)).ToArray()).unsqueeze(0).expand(Rows, Vocab).contiguous();
        var samplers = Enumerable.Range(0, Rows).Select(seed => new TokenSampler(new SamplingParameters(Temperature: 1, TopP: 0.5, Seed: seed))).ToList();

        var tokens = TokenSampler.NextBatch(logits, samplers);

        Assert.All(tokens, t => Assert.InRange(t, 0, lastKept));
        Assert.Contains(tokens, t => t > 256);
        samplers.ForEach(s => s.Dispose());
    }

    [Fact]
    public void A_max_tokens_near_the_int_limit_is_refused_for_the_context_not_wrapped_past_it()
    {
        var refused = Assert.Throws<InvalidGenerationException>(() => new SamplingParameters(MaxTokens: int.MaxValue).Validate(contextLength: 256, promptTokens: 3));
        Assert.Contains("exceeds the model's context", refused.Message);
    }
}
