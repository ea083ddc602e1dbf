namespace OpenLedger.Testing;

/// <summary>Azurite (blob + table) on free loopback ports, in memory or kept in a data folder.</summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's published development account; it is not a secret.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly LocalServer _server;

    private Azurite(LocalServer server, int blobPort, int tablePort)
    {
        _server = server;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    /// <summary>The storage connection string for this instance.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Starts Azurite. Without <paramref name="dataFolder"/> the data lives only as long as the process; with one it
    /// is kept there (<c>--location</c>), so <see cref="RestartAsync"/> brings it back.
    /// </summary>
    public static async Task<Azurite> StartAsync(string? dataFolder = null)
    {
        var script = RepoPaths.NodeTool("azurite/dist/src/azurite.js");
        string[] persistence = dataFolder is null ? ["--inMemoryPersistence"] : ["--location", dataFolder];
        // Ports in order: blob, table, queue; Azurite is ready when blob and table accept.
        var (server, ports) = await LocalServer.StartOnFreePortsAsync("azurite", "node", 3, p =>
        [
            script, "--blobHost", "127.0.0.1", "--blobPort", $"{p[0]}", "--tableHost", "127.0.0.1", "--tablePort", $"{p[1]}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{p[2]}", .. persistence, "--skipApiVersionCheck",
            "--disableTelemetry", "--silent",
        ], readyPorts: 2);
        int blob = ports[0], table = ports[1];
        return new Azurite(server, blob, table);
    }

    /// <summary>Stops Azurite by its process id and starts it again on the same ports with the same data folder.</summary>
    public Task RestartAsync(TimeSpan? downtime = null) => _server.RestartAsync(downtime);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
