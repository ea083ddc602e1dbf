using OpenLedger.Model.Lora;

namespace OpenLedger.Model.Serving;

/// <summary>
/// An adapter made ready to serve on one model's device: its factors per projection, indexed like
/// <see cref="LlamaModel.Projections"/> (null where the adapter leaves a projection alone).
/// </summary>
public sealed class ResidentAdapter : IDisposable
{
    private ResidentAdapter(LoraFactors?[] byProjection)
    {
        ByProjection = byProjection;
        Bytes = byProjection.Sum(f => f?.Bytes ?? 0);
    }

    /// <summary>Factors by projection index.</summary>
    public IReadOnlyList<LoraFactors?> ByProjection { get; }

    /// <summary>Bytes the adapter occupies on the device.</summary>
    public long Bytes { get; }

    /// <summary>
    /// The bytes <paramref name="adapter"/> will take once resident: its factors as float32, whatever they were stored
    /// as, so the pool can make room before anything is copied.
    /// </summary>
    public static long BytesFor(PeftAdapter adapter, LlamaModel model) =>
        model.Projections().Where(p => adapter.Settings.Targets(p.Path))
            .Sum(p => (long)adapter.Settings.Rank * (p.Projection.Weight.shape[0] + p.Projection.Weight.shape[1]) * sizeof(float));

    /// <summary>Checks <paramref name="adapter"/> against <paramref name="model"/> and lays its factors out on the model's device.</summary>
    public static ResidentAdapter Create(PeftAdapter adapter, LlamaModel model)
    {
        var projections = model.Projections();
        var device = projections[0].Projection.Weight.device;
        adapter.CheckFits(model);
        if (device.type == TorchSharp.DeviceType.CPU && FromBytes(adapter, projections) is { } host)
        {
            return new ResidentAdapter(host);
        }
        var factors = adapter.Factors(model);
        try
        {
            var byProjection = projections
                .Select(p => factors.TryGetValue(p.Path, out var f) ? LoraFactors.Create(f.A, f.B, f.Scaling, device) : null)
                .ToArray();
            return new ResidentAdapter(byProjection);
        }
        finally
        {
            foreach (var (a, b, _) in factors.Values)
            {
                a.Dispose();
                b.Dispose();
            }
        }
    }

    // On the host, float32 bytes go straight into the kernel's arrays: no tensors, one copy. Null for other dtypes.
    private static LoraFactors?[]? FromBytes(PeftAdapter adapter, IReadOnlyList<(string Path, Layers.Projection Projection)> projections)
    {
        var byProjection = new LoraFactors?[projections.Count];
        for (var p = 0; p < projections.Count; p++)
        {
            var (path, projection) = projections[p];
            if (!adapter.Settings.Targets(path))
            {
                continue;
            }
            var (outFeatures, inFeatures) = ((int)projection.Weight.shape[0], (int)projection.Weight.shape[1]);
            if (adapter.HostFactors(path, inFeatures, outFeatures) is not { } host)
            {
                return null;
            }
            byProjection[p] = LoraFactors.FromHost(host.A, host.Bt, adapter.Settings.Rank, inFeatures, outFeatures, adapter.Settings.Scaling);
        }
        return byProjection;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var factors in ByProjection)
        {
            factors?.Dispose();
        }
    }
}
