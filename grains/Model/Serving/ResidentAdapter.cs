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
        var factors = adapter.Factors(model);
        try
        {
            var device = model.Projections()[0].Projection.Weight.device;
            var byProjection = model.Projections()
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

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var factors in ByProjection)
        {
            factors?.Dispose();
        }
    }
}
