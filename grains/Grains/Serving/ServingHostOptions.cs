namespace OpenLedger.Grains.Serving;

/// <summary>How a silo serves models: its engines' limits and how it advertises them (section OpenLedger:Serving).</summary>
public sealed class ServingHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:Serving";

    /// <summary>Requests decoded together per engine.</summary>
    public int MaxBatch { get; set; } = 32;

    /// <summary>
    /// Inference requests this silo's doors (the HTTP API and the agent gateway) hold at once, decoding or waiting for
    /// a batch. One more is refused with 429 <c>server_overloaded</c> before any work, so a flood from many agents
    /// (each within its own limits) meets a bounded queue rather than an unbounded one.
    /// </summary>
    public int MaxQueuedRequests { get; set; } = 256;

    /// <summary>How long a request refused for <see cref="MaxQueuedRequests"/> is asked to wait (<c>Retry-After</c>).</summary>
    public TimeSpan OverloadRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Device bytes each engine gives resident adapters.</summary>
    public long AdapterPoolBytes { get; set; } = 256L << 20;

    /// <summary>How often the silo republishes its inventory.</summary>
    public TimeSpan InventoryRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long adapter weights stay in the Redis cache after their last load.</summary>
    public TimeSpan AdapterCacheTtl { get; set; } = TimeSpan.FromHours(6);
}
