using TorchSharp;
using static TorchSharp.torch;

namespace OpenLedger.Model.Serving;

/// <summary>
/// One adapter's LoRA factors for one projection, laid out for the batched kernel: A as [r, in] and B transposed as
/// [r, out], both row-major, so the shrink reads rows of A against the input and the expand adds rows of Bᵀ to the
/// output, each a contiguous run the CPU can stream. On an accelerator the factors are device tensors instead.
/// </summary>
public sealed class LoraFactors : IDisposable
{
    private LoraFactors(int rank, int inFeatures, int outFeatures, float scaling)
    {
        Rank = rank;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Scaling = scaling;
    }

    /// <summary>The adapter's rank for this projection.</summary>
    public int Rank { get; }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>alpha / r (or alpha / sqrt(r) for rsLoRA).</summary>
    public float Scaling { get; }

    /// <summary>A [r, in], row-major (host layout; null on an accelerator).</summary>
    public float[]? HostA { get; private init; }

    /// <summary>Bᵀ [r, out], row-major (host layout; null on an accelerator).</summary>
    public float[]? HostBt { get; private init; }

    /// <summary>A [r, in] on the device (null in host layout).</summary>
    public Tensor? DeviceA { get; private init; }

    /// <summary>B [out, r] on the device (null in host layout).</summary>
    public Tensor? DeviceB { get; private init; }

    /// <summary>Bytes the factors occupy.</summary>
    public long Bytes => (long)Rank * (InFeatures + OutFeatures) * sizeof(float);

    /// <summary>
    /// Lays out <paramref name="a"/> [r, in] and <paramref name="b"/> [out, r] for <paramref name="device"/>: host arrays
    /// for the CPU kernel, float32 device tensors elsewhere.
    /// </summary>
    public static LoraFactors Create(Tensor a, Tensor b, double scaling, Device device)
    {
        var rank = (int)a.shape[0];
        var inFeatures = (int)a.shape[1];
        var outFeatures = (int)b.shape[0];
        if (device.type == DeviceType.CPU)
        {
            using var hostA = a.to_type(ScalarType.Float32).contiguous();
            using var hostBt = b.to_type(ScalarType.Float32).t().contiguous();
            return new LoraFactors(rank, inFeatures, outFeatures, (float)scaling)
            {
                HostA = hostA.data<float>().ToArray(),
                HostBt = hostBt.data<float>().ToArray(),
            };
        }
        return new LoraFactors(rank, inFeatures, outFeatures, (float)scaling)
        {
            DeviceA = a.to(ScalarType.Float32, device).DetachFromDisposeScope(),
            DeviceB = b.to(ScalarType.Float32, device).DetachFromDisposeScope(),
        };
    }

    /// <summary>Factors already laid out on the host: <paramref name="a"/> [r, in] and <paramref name="bt"/> [r, out].</summary>
    public static LoraFactors FromHost(float[] a, float[] bt, int rank, int inFeatures, int outFeatures, double scaling) =>
        new(rank, inFeatures, outFeatures, (float)scaling) { HostA = a, HostBt = bt };

    /// <inheritdoc />
    public void Dispose()
    {
        DeviceA?.Dispose();
        DeviceB?.Dispose();
    }
}
