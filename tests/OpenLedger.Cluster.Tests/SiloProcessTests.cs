using System.Diagnostics;
using OpenLedger.Client;
using OpenLedger.Testing;

namespace OpenLedger.Cluster.Tests;

/// <summary>The real silo executable: HTTP endpoints, option validation, Redis clustering and SIGTERM.</summary>
public sealed class SiloProcessTests : IAsyncLifetime
{
    private Azurite _storage = null!;
    private Redis _redis = null!;

    public async Task InitializeAsync()
    {
        _storage = await Azurite.StartAsync();
        _redis = await Redis.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private SiloProcess StartSilo(int http, int silo, int gateway, params string[] settings)
    {
        var withRedis = settings.Any(s => s.StartsWith("--OpenLedger:Silo:RedisConnectionString", StringComparison.Ordinal) || s == "--no-redis")
            ? settings
            : settings.Append($"--OpenLedger:Silo:RedisConnectionString={_redis.ConnectionString}");
        return SiloProcess.Start(http, silo, gateway, withRedis.Where(s => s != "--no-redis"));
    }

    private static Task WaitHealthy(HttpClient http, int port, SiloProcess silo) => silo.WaitHealthyAsync(http, port);

    private static Task<int> Terminate(SiloProcess silo) => silo.TerminateAsync();

    [Fact]
    public async Task Silo_serves_health_and_metrics_and_stops_cleanly_on_sigterm()
    {
        int http = LocalServer.FreePort(), siloPort = LocalServer.FreePort(), gateway = LocalServer.FreePort();
        var clusterId = $"metrics-{Guid.NewGuid():N}";
        using var silo = StartSilo(http, siloPort, gateway, $"--OpenLedger:Silo:StorageConnectionString={_storage.ConnectionString}", $"--OpenLedger:Silo:ClusterId={clusterId}");
        try
        {
            using var client = new HttpClient();
            await WaitHealthy(client, http, silo);

            await using (var grid = await GridClient.ConnectAsync(new GridClientOptions { ClusterId = clusterId, StorageConnectionString = _storage.ConnectionString }))
            {
                var id = SampleDatanets.NewId("metrics");
                var key = ContributorKey.Generate();
                await grid.Datanets.CreateAsync(id, key.Address, SampleDatanets.Open());
                await grid.Datanets.ContributeAsync(key, id, SampleDatanets.Records(1, "m"));
                await grid.Datanets.ContributeAsync(key, id, SampleDatanets.Records(2, "n"));
            }
            // What the Kubernetes probes and the compose healthchecks ask for (SiloEndpoints.ProbePaths).
            foreach (var path in Deployment.SiloEndpoints.ProbePaths)
            {
                Assert.Equal("Healthy", await client.GetStringAsync($"http://127.0.0.1:{http}{path}"));
            }
            var metrics = await client.GetStringAsync($"http://127.0.0.1:{http}/metrics");
            // Counted from the first contribution on, as a true counter.
            Assert.Contains("openledger_contributions_total{outcome=\"accepted\"} 2", metrics);
            Assert.Contains("openledger_contribution_duration", metrics);
            Assert.Contains("orleans_", metrics);
            // Low cardinality: Orleans' per-grain-type and per-silo-pair instruments are filtered out.
            Assert.DoesNotContain("orleans_messaging_sent_messages_size", metrics);
            // The Orleans dashboard is off unless configured: not even its path exists.
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync($"http://127.0.0.1:{http}/orleans-dashboard/")).StatusCode);
        }
        finally
        {
            Assert.Equal(0, await Terminate(silo));
        }
    }

    [Fact]
    public async Task Bad_settings_stop_the_silo_with_the_setting_named()
    {
        using var silo = StartSilo(LocalServer.FreePort(), LocalServer.FreePort(), LocalServer.FreePort(),
            $"--OpenLedger:Silo:StorageConnectionString={_storage.ConnectionString}", "--OpenLedger:Silo:Clustering=Redis", "--no-redis");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.Process.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, silo.Process.ExitCode);
        Assert.Contains("OpenLedger:Silo:RedisConnectionString is required", silo.Output);
    }

    [Fact]
    public async Task A_bad_model_owner_key_stops_the_silo_with_the_setting_named()
    {
        using var silo = StartSilo(LocalServer.FreePort(), LocalServer.FreePort(), LocalServer.FreePort(),
            $"--OpenLedger:Silo:StorageConnectionString={_storage.ConnectionString}", "--OpenLedger:FineTuning:OwnerKey=0x1234");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.Process.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, silo.Process.ExitCode);
        Assert.Contains("OpenLedger:FineTuning:OwnerKey must hold a private key", silo.Output);
    }

    [Fact]
    public async Task Redis_clustering_lets_a_client_find_the_silo()
    {
        await using var redis = await Redis.StartAsync();
        int http = LocalServer.FreePort();
        var clusterId = $"redis-{Guid.NewGuid():N}";
        using var silo = StartSilo(http, LocalServer.FreePort(), LocalServer.FreePort(),
            $"--OpenLedger:Silo:StorageConnectionString={_storage.ConnectionString}", "--OpenLedger:Silo:Clustering=Redis",
            $"--OpenLedger:Silo:RedisConnectionString={redis.ConnectionString}", $"--OpenLedger:Silo:ClusterId={clusterId}");
        try
        {
            using var client = new HttpClient();
            await WaitHealthy(client, http, silo);
            await using var grid = await GridClient.ConnectAsync(new GridClientOptions
            {
                ClusterId = clusterId, Clustering = "Redis", RedisConnectionString = redis.ConnectionString,
            });
            var id = SampleDatanets.NewId("redis");
            var info = await grid.Datanets.CreateAsync(id, ContributorKey.Generate().Address, SampleDatanets.Open());
            Assert.Equal(id, info.Id);
        }
        finally
        {
            Assert.Equal(0, await Terminate(silo));
        }
    }
}
