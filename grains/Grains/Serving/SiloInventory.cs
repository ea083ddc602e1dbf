using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace OpenLedger.Grains.Serving;

/// <summary>What one silo offers for serving: the base models it has loaded and its free adapter memory.</summary>
/// <param name="Silo">The silo's address.</param>
/// <param name="Device">cpu, or cuda:N.</param>
/// <param name="BaseModels">Base models with a running engine.</param>
/// <param name="FreeAdapterBytes">Free adapter-pool bytes, the least over its engines (the whole budget with none).</param>
/// <param name="FreeHostBytes">Memory the process may still use.</param>
/// <param name="Adapters">Adapters registered on the silo.</param>
/// <param name="PublishedAt">When the entry was written; old entries belong to silos that stopped.</param>
public sealed record SiloOffer(string Silo, string Device, IReadOnlyList<string> BaseModels, long FreeAdapterBytes, long FreeHostBytes, int Adapters, DateTimeOffset PublishedAt);

/// <summary>
/// The cluster's serving inventory in Redis: one hash per service, one field per silo, each silo rewriting its own
/// entry every few seconds. Placement reads it to put adapters where their base model is loaded and memory is free.
/// </summary>
public sealed class SiloInventory(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster, IOptions<ServingHostOptions> options, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private IReadOnlyList<SiloOffer> _cached = [];
    private DateTimeOffset _cachedAt = DateTimeOffset.MinValue;

    private RedisKey Key => $"openledger:{cluster.Value.ServiceId}:serving-inventory";

    /// <summary>Writes this silo's offer.</summary>
    public async Task PublishAsync(SiloOffer offer)
    {
        await redis.GetDatabase().HashSetAsync(Key, offer.Silo, JsonSerializer.Serialize(offer));
    }

    /// <summary>Removes this silo's offer (on shutdown).</summary>
    public async Task WithdrawAsync(string silo) => await redis.GetDatabase().HashDeleteAsync(Key, silo);

    /// <summary>Offers no older than three refresh periods, read at most once per refresh period.</summary>
    public async Task<IReadOnlyList<SiloOffer>> OffersAsync()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (now - _cachedAt < options.Value.InventoryRefresh)
            {
                return _cached;
            }
        }
        var entries = await redis.GetDatabase().HashGetAllAsync(Key);
        var fresh = entries.Select(e => JsonSerializer.Deserialize<SiloOffer>(e.Value.ToString())!)
            .Where(o => now - o.PublishedAt < 3 * options.Value.InventoryRefresh)
            .ToList();
        lock (_lock)
        {
            _cached = fresh;
            _cachedAt = now;
        }
        return fresh;
    }
}
