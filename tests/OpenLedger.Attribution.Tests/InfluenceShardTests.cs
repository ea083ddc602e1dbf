using OpenLedger.Attribution.Influence;

namespace OpenLedger.Attribution.Tests;

/// <summary>TracIn scoring per shard and the merge: exact against a direct computation, identical however the examples are sharded.</summary>
public sealed class InfluenceShardTests
{
    private const int Dimensions = 24;
    private static readonly double[] _learningRates = [3e-3, 1e-3];

    [Fact]
    public void Scores_equal_a_direct_tracin_sum_rounded_once()
    {
        var (examples, rows, query) = Data(new Random(1), 150);
        var shard = Shard(examples, rows, Enumerable.Range(0, examples.Count));

        var result = shard.Score(query, topK: examples.Count, blockRows: 7);

        var expected = examples.Select((e, n) => FixedPoint.From(Enumerable.Range(0, _learningRates.Length).Sum(c =>
            _learningRates[c] * Enumerable.Range(0, Dimensions).Sum(d => (double)rows[c][n][d] * query[c][d])))).ToList();
        Assert.Equal(expected.OrderDescending(), result.Top.Select(t => t.Score));
        foreach (var contributor in examples.Select(e => e.Contributor).Distinct())
        {
            var sum = examples.Select((e, n) => (e, n)).Where(p => p.e.Contributor == contributor).Aggregate(Int128.Zero, (s, p) => s + expected[p.n]);
            Assert.Equal(sum, result.ContributorSums[contributor]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Any_sharding_merges_to_the_bits_of_one_shard(int shards)
    {
        var random = new Random(shards);
        var (examples, rows, query) = Data(random, 300);
        var single = Shard(examples, rows, Enumerable.Range(0, examples.Count)).Score(query, topK: 10);

        // Examples dealt to shards at random, and the shard results merged in a shuffled order.
        var owner = examples.Select(_ => random.Next(shards)).ToArray();
        var parts = Enumerable.Range(0, shards)
            .Select(s => Shard(examples, rows, Enumerable.Range(0, examples.Count).Where(n => owner[n] == s)).Score(query, topK: 10, blockRows: 1 + s))
            .OrderBy(_ => random.Next()).ToList();
        var merged = ShardResult.Merge(parts, topK: 10);

        Assert.Equal(single.ContributorSums.OrderBy(p => p.Key, StringComparer.Ordinal), merged.ContributorSums.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(single.Top, merged.Top);
    }

    [Fact]
    public void Mismatched_gradients_are_refused_by_name()
    {
        var (examples, rows, query) = Data(new Random(3), 10);
        var shard = Shard(examples, rows, Enumerable.Range(0, examples.Count));
        Assert.Contains("2 checkpoints", Assert.Throws<ArgumentException>(() => shard.Score([query[0]], 5)).Message);
        Assert.Contains("dimensions", Assert.Throws<ArgumentException>(() => shard.Score([query[0], new float[3]], 5)).Message);
        Assert.Throws<ArgumentException>(() => new InfluenceShard(examples, [new CheckpointGradients(1e-3, Dimensions, new float[5])]));
    }

    private static (List<ExampleRef> Examples, float[][][] Rows, float[][] Query) Data(Random random, int count)
    {
        var examples = Enumerable.Range(0, count).Select(n => new ExampleRef(n, $"0xc{n % 37:x4}", $"0xa{n % 9:x2}")).ToList();
        var rows = _learningRates.Select(_ => examples.Select(_ => Vector(random)).ToArray()).ToArray();
        var query = _learningRates.Select(_ => Vector(random)).ToArray();
        return (examples, rows, query);
    }

    private static float[] Vector(Random random) => Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    private static InfluenceShard Shard(List<ExampleRef> examples, float[][][] rows, IEnumerable<int> members)
    {
        var chosen = members.ToList();
        var checkpoints = _learningRates.Select((rate, c) => new CheckpointGradients(rate, Dimensions, chosen.SelectMany(n => rows[c][n]).ToArray())).ToList();
        return new InfluenceShard(chosen.Select(n => examples[n]).ToList(), checkpoints);
    }
}
