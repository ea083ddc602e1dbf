using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace OpenLedger.Model.Serving;

/// <summary>
/// The batched LoRA term: for every row b of a batch, y[b] += s_b · (x[b] A_bᵀ) B_bᵀ, each row with its own adapter
/// and rank. On the CPU it reads each adapter's factors in place (no gather, no padding to a common rank): the
/// shrink computes four ranks per pass over the input, the expand keeps a block of outputs in registers across all
/// ranks. This is what lets requests for many adapters share a batch for little more than the base model's cost.
/// </summary>
public static unsafe class LoraKernel
{
    // Below this many multiply-adds a batch runs on the calling thread: splitting it costs more than it saves.
    private const long ParallelThreshold = 1 << 17;

    // Above this many bytes of distinct factors per call, rows are split across cores even when the arithmetic is small.
    private const long StreamedThreshold = 256 << 10;

    /// <summary>
    /// Adds each row's LoRA term to <paramref name="output"/> [rows, T, out] for <paramref name="input"/> [rows, T, in];
    /// <paramref name="rows"/>[b] is row b's factors (null: no adapter).
    /// </summary>
    public static void AddDelta(Tensor input, Tensor output, IReadOnlyList<LoraFactors?> rows)
    {
        if (input.shape[0] != rows.Count)
        {
            throw new ArgumentException($"The batch has {input.shape[0]} rows but {rows.Count} adapters were given.");
        }
        var sample = rows.FirstOrDefault(f => f is not null);
        if (sample is null)
        {
            return;
        }
        if (sample.HostA is null)
        {
            AddDeltaOnDevice(input, output, rows);
            return;
        }
        using var scope = NewDisposeScope();
        var x = input.to_type(ScalarType.Float32).contiguous();
        var y = output.dtype == ScalarType.Float32 && output.is_contiguous() ? output : zeros(output.shape, ScalarType.Float32);
        var tokens = (int)(x.numel() / (x.shape[0] * x.shape[^1]));
        var inFeatures = (int)x.shape[^1];
        var outFeatures = (int)y.shape[^1];
        var xBase = AddressOf(x);
        var yBase = AddressOf(y);
        var work = rows.Sum(f => f is null ? 0L : (long)f.Rank * (f.InFeatures + f.OutFeatures)) * tokens;
        // Factors of many distinct adapters come from memory, not cache: a second core doubles the reads in flight.
        var streamed = rows.Where(f => f is not null).Distinct().Sum(f => f!.Bytes);
        void Row(int b)
        {
            if (rows[b] is { } factors)
            {
                AddRow((float*)xBase + ((long)b * tokens * inFeatures), (float*)yBase + ((long)b * tokens * outFeatures), tokens, factors);
            }
        }
        if ((work >= ParallelThreshold || streamed >= StreamedThreshold) && rows.Count > 1)
        {
            Parallel.For(0, rows.Count, Row);
        }
        else
        {
            for (var b = 0; b < rows.Count; b++)
            {
                Row(b);
            }
        }
        if (!ReferenceEquals(y, output))
        {
            output.add_(y.to_type(output.dtype));
        }
    }

    // A CPU tensor's storage lives in native memory that the GC never moves, so its address outlives the fixed block.
    private static nint AddressOf(Tensor contiguous)
    {
        fixed (byte* data = contiguous.bytes)
        {
            return (nint)data;
        }
    }

    // One row's tokens against one adapter. The rank-sized scratch lives on the stack.
    // Compiled fully optimised from the first call: tier-0 code would not inline the vector operations.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddRow(float* x, float* y, int tokens, LoraFactors factors)
    {
        var n = factors.InFeatures;
        var m = factors.OutFeatures;
        var r = factors.Rank;
        var shrunk = stackalloc float[r];
        fixed (float* a = factors.HostA, bt = factors.HostBt)
        {
            for (var t = 0; t < tokens; t++)
            {
                var xt = x + ((long)t * n);
                Shrink(a, xt, n, r, factors.Scaling, shrunk);
                Expand(bt, shrunk, m, r, y + ((long)t * m));
            }
        }
    }

    // v[k] = s · A[k] · x for every rank k, four ranks per pass so each load of x feeds four products.
    // Compiled fully optimised from the first call: tier-0 code would not inline the vector operations.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Shrink(float* a, float* x, int n, int r, float scaling, float* v)
    {
        var k = 0;
        for (; k + 4 <= r; k += 4)
        {
            var a0 = a + ((long)k * n);
            var a1 = a0 + n;
            var a2 = a1 + n;
            var a3 = a2 + n;
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            var s2 = Vector256<float>.Zero;
            var s3 = Vector256<float>.Zero;
            var i = 0;
            for (; i + 8 <= n; i += 8)
            {
                var xv = Vector256.Load(x + i);
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(a0 + i), xv, s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(a1 + i), xv, s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Load(a2 + i), xv, s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Load(a3 + i), xv, s3);
            }
            float t0 = Vector256.Sum(s0), t1 = Vector256.Sum(s1), t2 = Vector256.Sum(s2), t3 = Vector256.Sum(s3);
            for (; i < n; i++)
            {
                t0 += a0[i] * x[i];
                t1 += a1[i] * x[i];
                t2 += a2[i] * x[i];
                t3 += a3[i] * x[i];
            }
            v[k] = t0 * scaling;
            v[k + 1] = t1 * scaling;
            v[k + 2] = t2 * scaling;
            v[k + 3] = t3 * scaling;
        }
        for (; k < r; k++)
        {
            var ak = a + ((long)k * n);
            var s = Vector256<float>.Zero;
            var i = 0;
            for (; i + 8 <= n; i += 8)
            {
                s = Vector256.FusedMultiplyAdd(Vector256.Load(ak + i), Vector256.Load(x + i), s);
            }
            var total = Vector256.Sum(s);
            for (; i < n; i++)
            {
                total += ak[i] * x[i];
            }
            v[k] = total * scaling;
        }
    }

    // y += Σ_k v[k] · Bᵀ[k], one row of Bᵀ at a time: each row is a single sequential stream the hardware prefetcher
    // follows, while y (one token's outputs) stays in the first-level cache.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Expand(float* bt, float* v, int m, int r, float* y)
    {
        for (var k = 0; k < r; k++)
        {
            var vk = Vector256.Create(v[k]);
            var row = bt + ((long)k * m);
            var j = 0;
            for (; j + 32 <= m; j += 32)
            {
                Vector256.FusedMultiplyAdd(vk, Vector256.Load(row + j), Vector256.Load(y + j)).Store(y + j);
                Vector256.FusedMultiplyAdd(vk, Vector256.Load(row + j + 8), Vector256.Load(y + j + 8)).Store(y + j + 8);
                Vector256.FusedMultiplyAdd(vk, Vector256.Load(row + j + 16), Vector256.Load(y + j + 16)).Store(y + j + 16);
                Vector256.FusedMultiplyAdd(vk, Vector256.Load(row + j + 24), Vector256.Load(y + j + 24)).Store(y + j + 24);
            }
            for (; j + 8 <= m; j += 8)
            {
                Vector256.FusedMultiplyAdd(vk, Vector256.Load(row + j), Vector256.Load(y + j)).Store(y + j);
            }
            for (; j < m; j++)
            {
                y[j] += v[k] * row[j];
            }
        }
    }

    // Accelerators: one pair of products per distinct adapter in the batch, added into that adapter's rows.
    private static void AddDeltaOnDevice(Tensor input, Tensor output, IReadOnlyList<LoraFactors?> rows)
    {
        using var scope = NewDisposeScope();
        foreach (var group in Enumerable.Range(0, rows.Count).Where(b => rows[b] is not null).GroupBy(b => rows[b]!))
        {
            var factors = group.Key;
            var index = tensor(group.Select(b => (long)b).ToArray(), device: input.device);
            var x = input.index_select(0, index).to_type(ScalarType.Float32);
            var delta = nn.functional.linear(nn.functional.linear(x, factors.DeviceA!), factors.DeviceB!) * factors.Scaling;
            output.index_add_(0, index, delta.to_type(output.dtype), 1);
        }
    }
}
