using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace OpenLedger.Grains.Serving;

/// <summary>Places adapter grains by the serving inventory (see <see cref="AdapterPlacementDirector"/>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OpenLedger.AdapterPlacement")]
public sealed class AdapterPlacement : PlacementStrategy
{
    /// <summary>The request-context key callers set to the adapter's base model, so placement can prefer silos that hold it.</summary>
    public const string BaseModelKey = OpenLedger.Serving.IAdapterGrain.BaseModelContextKey;

    /// <summary>The one instance.</summary>
    public static AdapterPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class for <see cref="AdapterPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AdapterPlacementAttribute() : PlacementAttribute(AdapterPlacement.Instance);

/// <summary>
/// Puts a new adapter activation on the compatible silo that already runs its base model and has the most free
/// adapter-pool bytes; failing that, on the silo with the most free memory (it will load the base model). Silos
/// missing from the inventory (just started, or Redis away) are used only when no silo is listed.
/// </summary>
public sealed class AdapterPlacementDirector(SiloInventory inventory) : IPlacementDirector
{
    /// <inheritdoc />
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hinted)
        {
            return hinted;
        }
        var baseModel = target.RequestContextData is { } data && data.TryGetValue(AdapterPlacement.BaseModelKey, out var value) ? value as string : null;
        IReadOnlyList<SiloOffer> offers;
        try
        {
            offers = await inventory.OffersAsync();
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            offers = [];
        }
        var byAddress = compatible.ToDictionary(s => s.ToParsableString(), s => s);
        var listed = offers.Where(o => byAddress.ContainsKey(o.Silo)).ToList();
        var best = listed.Where(o => baseModel is not null && o.BaseModels.Contains(baseModel)).MaxBy(o => o.FreeAdapterBytes)
            ?? listed.MaxBy(o => o.FreeHostBytes);
        if (best is not null)
        {
            return byAddress[best.Silo];
        }
        return compatible.Contains(context.LocalSilo) ? context.LocalSilo : compatible[Random.Shared.Next(compatible.Length)];
    }
}
