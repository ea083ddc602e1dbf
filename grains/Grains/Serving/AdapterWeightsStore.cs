using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpenLedger.Grains.Storage;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using Orleans.Configuration;
using StackExchange.Redis;

namespace OpenLedger.Grains.Serving;

/// <summary>
/// Adapter weights below host memory: the Redis cache first, then Blob storage (which always holds them). A load
/// from Blob refills the cache, so a restarted or newly placed adapter comes back from Redis. The cache key carries
/// the deployment's version, so a redeployed adapter never serves stale weights.
/// </summary>
public sealed class AdapterWeightsStore(BlobArtifactStore artifacts, IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster, IOptions<ServingHostOptions> options)
{
    /// <summary>
    /// The Blob folder (in the models container) for weights an operator uploaded for <paramref name="adapterId"/> as
    /// deployment <paramref name="version"/>: each deployment has its own, so a reload never mixes two deployments.
    /// </summary>
    public static string UploadPrefix(string adapterId, string version) => $"deployed/{adapterId}/{version}";

    /// <summary>The Blob folder a published model's adapter lives in.</summary>
    public static string PublishedPrefix(string modelId) => $"adapters/{modelId}";

    /// <summary>Stores uploaded PEFT files under <see cref="UploadPrefix"/>.</summary>
    public async Task PutAsync(string prefix, PeftAdapter adapter)
    {
        await artifacts.PutAsync(StorageNames.ModelsContainer, $"{prefix}/{PeftAdapter.ConfigFile}", BinaryData.FromString(adapter.ConfigJson));
        await artifacts.PutAsync(StorageNames.ModelsContainer, $"{prefix}/{PeftAdapter.WeightsFile}", new BinaryData(adapter.Weights));
    }

    /// <summary>Loads the adapter stored under <paramref name="prefix"/> at <paramref name="version"/>; says which tier served it.</summary>
    public async Task<(PeftAdapter Adapter, string Tier)> LoadAsync(string prefix, string version)
    {
        var key = (RedisKey)$"openledger:{cluster.Value.ServiceId}:adapter:{prefix}:{version}";
        var started = Stopwatch.GetTimestamp();
        var cached = await TryCacheAsync(() => redis.GetDatabase().HashGetAsync(key, ["config", "weights"]));
        if (cached is [{ HasValue: true } config, { HasValue: true } weights])
        {
            var adapter = PeftAdapter.Parse(config.ToString(), (byte[])weights!, $"redis:{prefix}");
            Record(started, "redis");
            await TryCacheAsync(() => redis.GetDatabase().KeyExpireAsync(key, options.Value.AdapterCacheTtl));
            return (adapter, "redis");
        }
        var configJson = (await artifacts.GetAsync(StorageNames.ModelsContainer, $"{prefix}/{PeftAdapter.ConfigFile}")).ToString();
        var bytes = (await artifacts.GetAsync(StorageNames.ModelsContainer, $"{prefix}/{PeftAdapter.WeightsFile}")).ToArray();
        var loaded = PeftAdapter.Parse(configJson, bytes, $"blob:{prefix}");
        Record(started, "blob");
        await TryCacheAsync(async () =>
        {
            var database = redis.GetDatabase();
            await database.HashSetAsync(key, [new HashEntry("config", configJson), new HashEntry("weights", bytes)]);
            return await database.KeyExpireAsync(key, options.Value.AdapterCacheTtl);
        });
        return (loaded, "blob");
    }

    private static void Record(long started, string source) =>
        ServingMetrics.AdapterLoad.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("tier", "host"), new KeyValuePair<string, object?>("source", source));

    // The cache is an accelerator: when Redis is away, loads go to Blob and nothing fails.
    private static async Task<T?> TryCacheAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return default;
        }
    }
}
