using OpenLedger.Attribution.Influence;

namespace OpenLedger.Attribution.Tests;

/// <summary>The DataInf inverse against its formula computed naively, and its stored form: exact round trip, every damage refused.</summary>
public sealed class DataInfTests
{
    private static readonly LayerBlock[] _blocks = [new("q_proj", 0, 5), new("k_proj", 5, 1), new("o_proj", 6, 12)];
    private const int Dimensions = 18;

    [Theory]
    [InlineData(40, 0.1)]
    [InlineData(3, 0.5)]
    [InlineData(200, 2.0)]
    public void Inverse_equals_the_formula_computed_naively(int examples, double ratio)
    {
        var rows = Rows(new Random(examples), examples);

        var inverse = DataInf.Fit(_blocks, rows, examples, ratio);

        Assert.Equal(examples, inverse.Examples);
        Assert.Equal(Dimensions, inverse.Dimensions);
        for (var l = 0; l < _blocks.Length; l++)
        {
            var (lambda, expected) = NaiveInverse(_blocks[l], rows, examples, ratio);
            Assert.Equal(lambda, inverse.Damping(l), lambda * 1e-12);
            var actual = inverse.Inverse(l);
            Assert.Equal(expected.Length, actual.Length);
            for (var k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k], actual[k], 1e-10 / lambda);
            }
        }
    }

    [Fact]
    public void Precondition_multiplies_each_block_by_its_matrix_and_nothing_crosses_blocks()
    {
        var random = new Random(7);
        var rows = Rows(random, 60);
        var inverse = DataInf.Fit(_blocks, rows, 60);
        var query = Rows(random, 1);

        var result = inverse.Precondition(query);

        for (var l = 0; l < _blocks.Length; l++)
        {
            var block = _blocks[l];
            var matrix = inverse.Inverse(l);
            for (var a = 0; a < block.Length; a++)
            {
                double expected = 0;
                for (var b = 0; b < block.Length; b++)
                {
                    expected += matrix[a * block.Length + b] * query[block.Offset + b];
                }
                Assert.Equal(expected, result[block.Offset + a], Math.Abs(expected) * 1e-6 + 1e-9);
            }
        }
        var onlyFirst = query.Select((v, k) => k < _blocks[0].Length ? v : 0f).ToArray();
        Assert.All(inverse.Precondition(onlyFirst).Skip(_blocks[0].Length), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Self_influence_is_each_rows_quadratic_form()
    {
        var random = new Random(8);
        var rows = Rows(random, 50);
        var inverse = DataInf.Fit(_blocks, rows, 50);
        var others = Rows(random, 9);

        var result = inverse.SelfInfluence(others, 9);

        for (var i = 0; i < 9; i++)
        {
            double expected = 0;
            for (var l = 0; l < _blocks.Length; l++)
            {
                var (offset, length) = (_blocks[l].Offset, _blocks[l].Length);
                var matrix = inverse.Inverse(l);
                for (var a = 0; a < length; a++)
                {
                    for (var b = 0; b < length; b++)
                    {
                        expected += others[i * Dimensions + offset + a] * matrix[a * length + b] * others[i * Dimensions + offset + b];
                    }
                }
            }
            Assert.Equal(expected, result[i], Math.Abs(expected) * 1e-9);
        }
    }

    [Fact]
    public void Fitting_gives_the_same_bits_every_time()
    {
        var rows = Rows(new Random(9), 300);
        Assert.Equal(Bytes(DataInf.Fit(_blocks, rows, 300)), Bytes(DataInf.Fit(_blocks, rows, 300)));
    }

    [Fact]
    public void A_zero_ratio_is_raised_to_the_floor_and_all_zero_gradients_get_the_identity()
    {
        var rows = Rows(new Random(10), 20);
        for (var i = 0; i < 20; i++)
        {
            rows[i * Dimensions + 5] = 0; // the one-wide k_proj block is all zero
        }

        var inverse = DataInf.Fit(_blocks, rows, 20, dampingRatio: 0);

        var (floor, _) = NaiveInverse(_blocks[0], rows, 20, DataInf.MinimumDampingRatio);
        Assert.Equal(floor, inverse.Damping(0), floor * 1e-12);
        Assert.Equal(1.0, inverse.Damping(1));
        Assert.Equal([1.0], inverse.Inverse(1).ToArray());
    }

    [Fact]
    public void Round_trip_is_exact()
    {
        var inverse = DataInf.Fit(_blocks, Rows(new Random(11), 30), 30);
        var bytes = Bytes(inverse);

        var read = DataInf.ReadFrom(new MemoryStream(bytes));

        Assert.Equal(inverse.Blocks, read.Blocks);
        Assert.Equal(inverse.Examples, read.Examples);
        for (var l = 0; l < _blocks.Length; l++)
        {
            Assert.Equal(inverse.Damping(l), read.Damping(l));
            Assert.Equal(inverse.Inverse(l).ToArray(), read.Inverse(l).ToArray());
        }
        Assert.Equal(bytes, Bytes(read));
        Assert.Equal(bytes, Bytes(DataInf.ReadFrom(new ForwardOnlyStream(bytes))));
    }

    [Fact]
    public void Every_truncation_is_refused_whether_or_not_the_stream_knows_its_length()
    {
        var bytes = Bytes(DataInf.Fit(_blocks, Rows(new Random(12), 10), 10));
        for (var length = 0; length < bytes.Length; length++)
        {
            var cut = bytes[..length];
            Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => DataInf.ReadFrom(new MemoryStream(cut))).Message);
            Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => DataInf.ReadFrom(new ForwardOnlyStream(cut))).Message);
        }
    }

    [Fact]
    public void Every_damaged_byte_is_refused()
    {
        var bytes = Bytes(DataInf.Fit(_blocks, Rows(new Random(13), 10), 10));
        for (var position = 0; position < bytes.Length; position++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xff })
            {
                var damaged = (byte[])bytes.Clone();
                damaged[position] ^= mask;
                Assert.Throws<InvalidDataException>(() => DataInf.ReadFrom(new MemoryStream(damaged)));
            }
        }
    }

    [Fact]
    public void Damage_is_named()
    {
        var bytes = Bytes(DataInf.Fit(_blocks, Rows(new Random(14), 10), 10));

        Assert.Contains("OLDI", Read(bytes, b => b[0] = (byte)'X'));
        Assert.Contains("version 2", Read(bytes, b => b[4] = 2));
        Assert.Contains("checksum", Read(bytes, b => b[^1] ^= 1));
        // The first block's offset (after magic, version, examples, count, name length and the 6-byte name).
        Assert.Contains("contiguous", Read(bytes, b => b[4 * 5 + 6] = 1));
        Assert.Contains("checksum", Read(bytes, b => b[^20] ^= 4));
    }

    [Fact]
    public void Bad_blocks_and_rows_are_refused_by_name()
    {
        var rows = Rows(new Random(15), 4);

        Assert.Contains("at least one", Refused([], rows, 4));
        Assert.Contains("should start at 5", Refused([new("a", 0, 5), new("b", 6, 13)], rows, 4));
        Assert.Contains("should start at 5", Refused([new("a", 0, 5), new("b", 4, 14)], rows, 4));
        Assert.Contains("should start at 0", Refused([new("a", 1, 18)], rows, 4));
        Assert.Contains("length 0", Refused([new("a", 0, 0), new("b", 0, 18)], rows, 4));
        Assert.Contains("twice", Refused([new("a", 0, 5), new("a", 5, 13)], rows, 4));
        Assert.Contains("no name", Refused([new("", 0, 18)], rows, 4));
        Assert.Contains("4 examples x 17 dimensions", Refused([new("a", 0, 17)], rows, 4));
        Assert.Contains("3 examples x 18 dimensions", Refused(_blocks, rows, 3));
        Assert.Contains("damping ratio", Assert.Throws<ArgumentException>(() => DataInf.Fit(_blocks, rows, 4, -0.1)).Message);
        rows[Dimensions + 3] = float.NaN;
        Assert.Contains("Example 1", Refused(_blocks, rows, 4));

        var inverse = DataInf.Fit(_blocks, Rows(new Random(16), 4), 4);
        Assert.Contains("17 dimensions", Assert.Throws<ArgumentException>(() => inverse.Precondition(new float[17])).Message);
        Assert.Throws<ArgumentException>(() => inverse.SelfInfluence(new float[Dimensions * 2], 3));
    }

    private static string Refused(LayerBlock[] blocks, float[] rows, int examples) =>
        Assert.Throws<ArgumentException>(() => DataInf.Fit(blocks, rows, examples)).Message;

    private static string Read(byte[] bytes, Action<byte[]> damage)
    {
        var damaged = (byte[])bytes.Clone();
        damage(damaged);
        return Assert.Throws<InvalidDataException>(() => DataInf.ReadFrom(new MemoryStream(damaged))).Message;
    }

    private static byte[] Bytes(DataInf inverse)
    {
        var stream = new MemoryStream();
        inverse.WriteTo(stream);
        return stream.ToArray();
    }

    // Each block on its own scale, as real layers are.
    private static float[] Rows(Random random, int examples)
    {
        var rows = new float[examples * Dimensions];
        for (var i = 0; i < rows.Length; i++)
        {
            var scale = (i % Dimensions) switch { < 5 => 1.0, < 6 => 0.01, _ => 30.0 };
            rows[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }
        return rows;
    }

    // The formula as written: λ = ratio × mean ‖g‖², M = (1/λ)(I − (1/n) Σ g gᵀ / (λ + ‖g‖²)).
    private static (double Lambda, double[] Matrix) NaiveInverse(LayerBlock block, float[] rows, int examples, double ratio)
    {
        var d = block.Length;
        var norms = new double[examples];
        for (var i = 0; i < examples; i++)
        {
            for (var a = 0; a < d; a++)
            {
                norms[i] += Math.Pow(rows[i * Dimensions + block.Offset + a], 2);
            }
        }
        var lambda = ratio * norms.Average() / block.Length;   // a tenth of the mean squared entry, as the paper damps
        var matrix = new double[d * d];
        for (var a = 0; a < d; a++)
        {
            for (var b = 0; b < d; b++)
            {
                double sum = 0;
                for (var i = 0; i < examples; i++)
                {
                    sum += (double)rows[i * Dimensions + block.Offset + a] * rows[i * Dimensions + block.Offset + b] / (lambda + norms[i]);
                }
                matrix[a * d + b] = ((a == b ? 1 : 0) - sum / examples) / lambda;
            }
        }
        return (lambda, matrix);
    }

    /// <summary>A stream that cannot seek or tell its length, as a network download is.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 3));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
