using OpenLedger.Client;
using OpenLedger.Testing;

namespace OpenLedger.Cluster.Tests.Scaling;

/// <summary>
/// Silo processes of one cluster (Azure Table membership) over their own Azurite and Redis, which a test adds and
/// removes while clients keep calling, as an operator scales a grid.
/// </summary>
public sealed class SiloFleet : IAsyncDisposable
{
    private readonly List<FleetSilo> _silos = [];
    private readonly HttpClient _http = new();
    private Azurite _storage = null!;
    private Redis _redis = null!;

    private SiloFleet()
    {
    }

    /// <summary>The cluster every silo joins.</summary>
    public string ClusterId { get; } = $"fleet-{Guid.NewGuid():N}";

    /// <summary>Starts the storage and cache the silos share.</summary>
    public static async Task<SiloFleet> StartAsync()
    {
        var fleet = new SiloFleet();
        fleet._storage = await Azurite.StartAsync();
        fleet._redis = await Redis.StartAsync();
        return fleet;
    }

    /// <summary>Starts one more silo with <paramref name="roles"/> (all when empty) and waits until it answers /health.</summary>
    public async Task<FleetSilo> AddAsync(string roles = "")
    {
        int http = LocalServer.FreePort(), port = LocalServer.FreePort(), gateway = LocalServer.FreePort();
        var process = SiloProcess.Start(http, port, gateway, [
            $"--OpenLedger:Silo:StorageConnectionString={_storage.ConnectionString}",
            $"--OpenLedger:Silo:RedisConnectionString={_redis.ConnectionString}",
            $"--OpenLedger:Silo:ClusterId={ClusterId}",
            $"--OpenLedger:Silo:Roles={roles}",
        ]);
        var silo = new FleetSilo(process, http, port, gateway);
        _silos.Add(silo);
        await process.WaitHealthyAsync(_http, http);
        return silo;
    }

    /// <summary>A client that finds the gateways through the membership table.</summary>
    public Task<GridClient> ConnectAsync() =>
        GridClient.ConnectAsync(new GridClientOptions { ClusterId = ClusterId, StorageConnectionString = _storage.ConnectionString });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Process.Dispose();
        }
        _http.Dispose();
        await _redis.DisposeAsync();
        await _storage.DisposeAsync();
    }
}

/// <summary>One silo of a <see cref="SiloFleet"/>.</summary>
/// <param name="Process">Its process.</param>
/// <param name="HttpPort">Its HTTP API.</param>
/// <param name="SiloPort">Its silo-to-silo port, which names it in the membership table.</param>
/// <param name="GatewayPort">Its client gateway.</param>
public sealed record FleetSilo(SiloProcess Process, int HttpPort, int SiloPort, int GatewayPort)
{
    /// <summary>Whether <paramref name="siloAddress"/> (ip:port@generation) is this silo.</summary>
    public bool Is(string? siloAddress) => siloAddress is not null && siloAddress.StartsWith($"127.0.0.1:{SiloPort}@", StringComparison.Ordinal);
}
