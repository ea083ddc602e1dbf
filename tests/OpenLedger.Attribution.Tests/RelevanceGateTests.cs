using OpenLedger.Attribution.Influence;

namespace OpenLedger.Attribution.Tests;

public sealed class RelevanceGateTests
{
    // Two contributors: one example points the same way as the inference, the other has a huge gradient at an angle.
    private static readonly List<ExampleRef> _examples = [new(0, "aligned", "0xa"), new(1, "outlier", "0xb")];

    [Fact]
    public void Only_examples_whose_relative_influence_clears_the_floor_count_towards_sums()
    {
        float[] rows = [1, 0, 30, 40];                 // |aligned| = 1, |outlier| = 50, cosines with (1, 0.2): 0.98 and 0.74
        double[] self = [1, 2500];                     // g·g (identity metric) for each example
        var shard = new InfluenceShard(_examples, [new CheckpointGradients(1, 2, rows, self)]);
        var query = new[] { new float[] { 1, 0.2f } };
        var norm = 1 + 0.04;

        var ungated = shard.Score(query, topK: 2);
        var loose = shard.Score(query, topK: 2, gate: new RelevanceGate(norm, 0.5));
        var strict = shard.Score(query, topK: 2, gate: new RelevanceGate(norm, 0.9));

        Assert.True(ungated.ContributorSums["0xb"] > ungated.ContributorSums["0xa"]);   // raw influence favours the outlier
        Assert.Equal(2, loose.ContributorSums.Count);
        Assert.Equal(["0xa"], strict.ContributorSums.Keys);
        Assert.Equal(ungated.Top, strict.Top);                                          // evidence lists the strongest examples either way
    }

    [Fact]
    public void A_gate_on_gradients_stored_without_self_influence_is_refused()
    {
        var shard = new InfluenceShard(_examples, [new CheckpointGradients(1, 2, [1, 0, 0, 1])]);
        var error = Assert.Throws<ArgumentException>(() => shard.Score([[1, 0]], 1, gate: new RelevanceGate(1, 0.1)));
        Assert.Contains("self-influence", error.Message);
    }
}
