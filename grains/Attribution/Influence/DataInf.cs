using System.Numerics;

namespace OpenLedger.Attribution.Influence;

/// <summary>
/// DataInf (Kwon et al. 2023, "DataInf: efficiently estimating data influence in LoRA-tuned LLMs and diffusion
/// models"): for each layer block l, a closed-form approximation of the inverse of the damped Gauss-Newton (Fisher)
/// block fitted on the n training gradients g_il,
/// H_l⁻¹ ≈ (1/λ_l) (I − (1/n) Σ_i g_il g_ilᵀ / (λ_l + ‖g_il‖²)), with damping λ_l = ratio × (1/(n·d_l)) Σ_i ‖g_il‖²
/// (the paper's choice: a tenth of the mean squared gradient entry of the block, d_l its width).
/// The inverse is block-diagonal: layers do not see each other.
/// </summary>
/// <remarks>
/// Fitted once at training time and stored (<see cref="WriteTo"/>), so the grain that scores inferences loads these
/// matrices (<see cref="ReadFrom"/>) instead of touching every training gradient. To score an inference with gradient
/// v: precondition it once (<see cref="Precondition"/>), then score every shard with <see cref="InfluenceShard"/>,
/// passing the preconditioned vector as the inference at a single checkpoint of learning rate 1. Training example i
/// then scores +g_i · H⁻¹ v: positive when training on i made the output more likely, as in TracIn.
/// Matrices are computed and kept in double; every sum runs in a fixed order, so the same gradients give the same
/// bits on any machine and with any number of cores.
/// </remarks>
public sealed class DataInf
{
    /// <summary>The default damping: a tenth of the mean squared gradient norm of each layer.</summary>
    public const double DefaultDampingRatio = 0.1;

    /// <summary>
    /// The smallest damping ratio used: a ratio of 0 (no damping) is raised to this, so the inverse exists even when
    /// the gradients do not span their block.
    /// </summary>
    public const double MinimumDampingRatio = 1e-9;

    /// <summary>
    /// The longest layer block (its matrix is 512 MiB of doubles); project gradients to fewer dimensions per layer
    /// beyond this.
    /// </summary>
    public const int MaxBlockLength = 8192;

    // Example rows are copied a chunk of about this many doubles at a time, bounding memory for any training set.
    private const int ChunkValues = 1 << 20;

    private readonly LayerBlock[] _blocks;
    private readonly double[] _damping;
    private readonly double[][] _inverses;

    internal DataInf(LayerBlock[] blocks, double[] damping, double[][] inverses, int examples)
    {
        _blocks = blocks;
        _damping = damping;
        _inverses = inverses;
        Examples = examples;
        Dimensions = blocks.Sum(b => b.Length);
    }

    /// <summary>The layer blocks of a gradient row, in row order.</summary>
    public IReadOnlyList<LayerBlock> Blocks => _blocks;

    /// <summary>Values in a gradient row (the sum of the block lengths).</summary>
    public int Dimensions { get; }

    /// <summary>Training examples the inverse was fitted on (n).</summary>
    public int Examples { get; }

    /// <summary>The damping λ of block <paramref name="layer"/>.</summary>
    public double Damping(int layer) => _damping[layer];

    /// <summary>The approximate inverse of block <paramref name="layer"/>: a symmetric Length × Length matrix, row-major.</summary>
    public ReadOnlySpan<double> Inverse(int layer) => _inverses[layer];

    /// <summary>
    /// Fits the inverse on <paramref name="examples"/> projected training gradients, <paramref name="rows"/> being
    /// examples × D values row-major with D the total length of <paramref name="blocks"/>. Each layer's damping is
    /// <paramref name="dampingRatio"/> (at least <see cref="MinimumDampingRatio"/>) times the layer's mean squared
    /// gradient norm; a layer whose gradients are all zero gets λ = 1 (its inverse is the identity, and its training
    /// gradients score zero whatever the matrix).
    /// </summary>
    /// <exception cref="ArgumentException">The blocks are not contiguous from 0, the rows are not examples × D, or a value is not finite.</exception>
    public static DataInf Fit(IReadOnlyList<LayerBlock> blocks, ReadOnlySpan<float> rows, int examples, double dampingRatio = DefaultDampingRatio)
    {
        var checkedBlocks = CheckBlocks(blocks);
        var dimensions = checkedBlocks.Sum(b => b.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(examples, 1);
        if (!double.IsFinite(dampingRatio) || dampingRatio < 0)
        {
            throw new ArgumentException($"The damping ratio {dampingRatio} must be a finite number, zero or more (the default is {DefaultDampingRatio}).", nameof(dampingRatio));
        }
        CheckRows(rows, examples, dimensions);
        for (var i = 0; i < rows.Length; i++)
        {
            if (!float.IsFinite(rows[i]))
            {
                throw new ArgumentException($"Example {i / dimensions} has the non-finite value {rows[i]} at dimension {i % dimensions}; fix the gradient before fitting.", nameof(rows));
            }
        }
        var damping = new double[checkedBlocks.Length];
        var inverses = new double[checkedBlocks.Length][];
        for (var l = 0; l < checkedBlocks.Length; l++)
        {
            (damping[l], inverses[l]) = FitBlock(checkedBlocks[l], rows, examples, dimensions, Math.Max(dampingRatio, MinimumDampingRatio));
        }
        return new DataInf(checkedBlocks, damping, inverses, examples);
    }

    /// <summary>H⁻¹ <paramref name="query"/>, block by block (accumulated in double, rounded once to float).</summary>
    /// <exception cref="ArgumentException">The query is not <see cref="Dimensions"/> long.</exception>
    public float[] Precondition(ReadOnlySpan<float> query)
    {
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; the inverse was fitted on rows of {Dimensions}.", nameof(query));
        }
        var result = new float[Dimensions];
        for (var l = 0; l < _blocks.Length; l++)
        {
            var block = _blocks[l];
            var inverse = _inverses[l];
            var part = query.Slice(block.Offset, block.Length);
            for (var a = 0; a < block.Length; a++)
            {
                result[block.Offset + a] = (float)RowDot(inverse.AsSpan(a * block.Length, block.Length), part);
            }
        }
        return result;
    }

    /// <summary>
    /// Each example's self-influence g_i · H⁻¹ g_i over <paramref name="examples"/> rows of <see cref="Dimensions"/>
    /// values. Examples the model had to bend to fit (mislabelled, poisoned) score high.
    /// </summary>
    /// <exception cref="ArgumentException">The rows are not examples × <see cref="Dimensions"/>.</exception>
    public double[] SelfInfluence(ReadOnlySpan<float> rows, int examples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(examples);
        CheckRows(rows, examples, Dimensions);
        var result = new double[examples];
        var chunkRows = Math.Max(1, ChunkValues / Math.Max(1, Dimensions));
        var chunk = new float[Math.Min(chunkRows, examples) * Dimensions];
        for (var first = 0; first < examples; first += chunkRows)
        {
            var count = Math.Min(chunkRows, examples - first);
            rows.Slice(first * Dimensions, count * Dimensions).CopyTo(chunk);
            // Each example's value is summed by one thread in a fixed order, so the bits do not depend on scheduling.
            Parallel.For(0, count, r => result[first + r] = Quadratic(chunk.AsSpan(r * Dimensions, Dimensions)));
        }
        return result;
    }

    /// <summary>
    /// Writes the inverse in a small versioned little-endian format: "OLDI", version 1, the example count, each block's
    /// name, offset, length and damping, each block's matrix, and a CRC-32C of all of it.
    /// </summary>
    public void WriteTo(Stream stream) => DataInfFile.Write(this, stream);

    /// <summary>Reads an inverse written by <see cref="WriteTo"/>, checking every size and the checksum.</summary>
    /// <exception cref="InvalidDataException">The stream is not a DataInf file, is truncated, or is inconsistent or corrupt.</exception>
    public static DataInf ReadFrom(Stream stream) => DataInfFile.Read(stream);

    internal static LayerBlock[] CheckBlocks(IReadOnlyList<LayerBlock> blocks)
    {
        if (blocks.Count == 0)
        {
            throw new ArgumentException("DataInf needs at least one layer block.", nameof(blocks));
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        long next = 0;
        foreach (var block in blocks)
        {
            if (string.IsNullOrEmpty(block.Name))
            {
                throw new ArgumentException($"The block at offset {block.Offset} has no name; name every layer block.", nameof(blocks));
            }
            if (!names.Add(block.Name))
            {
                throw new ArgumentException($"The block name '{block.Name}' appears twice; block names must be unique.", nameof(blocks));
            }
            if (block.Offset != next)
            {
                throw new ArgumentException($"Block '{block.Name}' starts at {block.Offset}; blocks must be contiguous in row order, so it should start at {next}.", nameof(blocks));
            }
            if (block.Length is < 1 or > MaxBlockLength)
            {
                throw new ArgumentException($"Block '{block.Name}' has length {block.Length}; lengths run from 1 to {MaxBlockLength}.", nameof(blocks));
            }
            next += block.Length;
            if (next > int.MaxValue)
            {
                throw new ArgumentException($"The blocks cover {next} dimensions; a row holds at most {int.MaxValue}.", nameof(blocks));
            }
        }
        return [.. blocks];
    }

    private static void CheckRows(ReadOnlySpan<float> rows, int examples, int dimensions)
    {
        if (rows.Length != (long)examples * dimensions)
        {
            throw new ArgumentException($"The rows hold {rows.Length} values; {examples} examples x {dimensions} dimensions (the blocks' total length) were expected.", nameof(rows));
        }
    }

    private static (double Damping, double[] Inverse) FitBlock(LayerBlock block, ReadOnlySpan<float> rows, int examples, int dimensions, double ratio)
    {
        var length = block.Length;
        var norms = new double[examples];
        double normTotal = 0;
        for (var i = 0; i < examples; i++)
        {
            var g = rows.Slice(i * dimensions + block.Offset, length);
            double norm = 0;
            for (var a = 0; a < length; a++)
            {
                norm += (double)g[a] * g[a];
            }
            norms[i] = norm;
            normTotal += norm;
        }
        var lambda = ratio * (normTotal / examples / length);
        if (!(lambda > 0))
        {
            lambda = 1;
        }

        // S = Σ_i g_i g_iᵀ / (λ + ‖g_i‖²), upper triangle. Threads own rows of S; every entry adds the examples in
        // order, so the result is the same on any number of cores.
        var sum = new double[length * length];
        var chunkRows = Math.Max(1, ChunkValues / length);
        var chunk = new double[Math.Min(chunkRows, examples) * length];
        var stripes = Math.Min(Environment.ProcessorCount, length);
        for (var first = 0; first < examples; first += chunkRows)
        {
            var count = Math.Min(chunkRows, examples - first);
            for (var r = 0; r < count; r++)
            {
                var g = rows.Slice((first + r) * dimensions + block.Offset, length);
                for (var a = 0; a < length; a++)
                {
                    chunk[r * length + a] = g[a];
                }
            }
            var start = first;
            Parallel.For(0, stripes, stripe =>
            {
                for (var r = 0; r < count; r++)
                {
                    var g = chunk.AsSpan(r * length, length);
                    var weight = 1 / (lambda + norms[start + r]);
                    // Rows dealt round-robin, so the long rows at the top of the triangle are spread over the threads.
                    for (var a = stripe; a < length; a += stripes)
                    {
                        AddScaled(sum.AsSpan(a * length + a, length - a), g[a..], weight * g[a]);
                    }
                }
            });
        }

        var inverse = sum;
        for (var a = 0; a < length; a++)
        {
            for (var b = a; b < length; b++)
            {
                var value = ((a == b ? 1.0 : 0.0) - sum[a * length + b] / examples) / lambda;
                inverse[a * length + b] = value;
                inverse[b * length + a] = value;
            }
        }
        return (lambda, inverse);
    }

    // target += scale × source. Element-wise (a multiply and an add per element, never fused), so vector width does
    // not change the bits.
    private static void AddScaled(Span<double> target, ReadOnlySpan<double> source, double scale)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<double>(scale);
            for (; i <= target.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                (new Vector<double>(target[i..]) + factor * new Vector<double>(source[i..])).CopyTo(target[i..]);
            }
        }
        for (; i < target.Length; i++)
        {
            target[i] += scale * source[i];
        }
    }

    private double Quadratic(ReadOnlySpan<float> row)
    {
        double total = 0;
        for (var l = 0; l < _blocks.Length; l++)
        {
            var block = _blocks[l];
            var inverse = _inverses[l];
            var g = row.Slice(block.Offset, block.Length);
            for (var a = 0; a < block.Length; a++)
            {
                total += g[a] * RowDot(inverse.AsSpan(a * block.Length, block.Length), g);
            }
        }
        return total;
    }

    // One row of a block's inverse times a vector, summed in order.
    private static double RowDot(ReadOnlySpan<double> matrixRow, ReadOnlySpan<float> vector)
    {
        double total = 0;
        for (var b = 0; b < matrixRow.Length; b++)
        {
            total += matrixRow[b] * vector[b];
        }
        return total;
    }
}
