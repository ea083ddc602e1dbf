using OpenLedger.Attribution.Artifacts;
using OpenLedger.Attribution.Influence;

namespace OpenLedger.Attribution.Tests;

public sealed class GradientShardFileTests
{
    [Fact]
    public async Task A_shard_reads_back_bit_for_bit_with_its_provenance_and_self_influence()
    {
        var random = new Random(4);
        var examples = Enumerable.Range(0, 37).Select(i => new ExampleRef(1000 + 3 * i, $"c{i % 5}", $"0x{i % 4:x40}")).ToList();
        var rows = Enumerable.Range(0, 37 * 6).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var self = Enumerable.Range(0, 37).Select(_ => random.NextDouble()).ToArray();
        var shard = new GradientShard(120, examples, new CheckpointGradients(0.0125, 6, rows, self));
        using var file = new MemoryStream();
        await GradientShardFile.WriteAsync(file, shard);
        file.Position = 0;

        var read = await GradientShardFile.ReadAsync(file);

        Assert.Equal(120, read.Step);
        Assert.Equal(examples, read.Examples);
        Assert.Equal(0.0125, read.Gradients.LearningRate);
        Assert.Equal(6, read.Gradients.Dimensions);
        Assert.Equal(rows, read.Gradients.Rows);
        Assert.Equal(self, read.Gradients.SelfInfluence);
    }

    [Fact]
    public async Task A_file_that_is_not_a_gradient_shard_is_refused_by_name()
    {
        using var file = new MemoryStream("not an arrow file at all"u8.ToArray());
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => GradientShardFile.ReadAsync(file));
        Assert.Contains("gradient shard", error.Message);
    }

    [Fact]
    public async Task Values_that_do_not_fill_the_examples_are_refused_before_anything_is_written()
    {
        using var file = new MemoryStream();
        var shard = new GradientShard(1, [new ExampleRef(0, "c", "0x1")], new CheckpointGradients(1, 4, new float[3]));
        await Assert.ThrowsAsync<ArgumentException>(() => GradientShardFile.WriteAsync(file, shard));
        Assert.Equal(0, file.Length);
    }
}
