namespace OpenLedger.Grains.Serving;

/// <summary>How a silo serves models: its engines' limits and how it advertises them (section OpenLedger:Serving).</summary>
public sealed class ServingHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:Serving";

    /// <summary>Requests decoded together per engine.</summary>
    public int MaxBatch { get; set; } = 32;

    /// <summary>Device bytes each engine gives resident adapters.</summary>
    public long AdapterPoolBytes { get; set; } = 256L << 20;

    /// <summary>How often the silo republishes its inventory.</summary>
    public TimeSpan InventoryRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long adapter weights stay in the Redis cache after their last load.</summary>
    public TimeSpan AdapterCacheTtl { get; set; } = TimeSpan.FromHours(6);
}
