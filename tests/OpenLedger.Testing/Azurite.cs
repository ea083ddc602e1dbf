namespace OpenLedger.Testing;

/// <summary>Azurite (blob + table, in memory) on free loopback ports.</summary>
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

    /// <summary>Starts Azurite; the data lives only as long as the process.</summary>
    public static async Task<Azurite> StartAsync()
    {
        var script = RepoPaths.NodeTool("azurite/dist/src/azurite.js");
        int blob = LocalServer.FreePort(), queue = LocalServer.FreePort(), table = LocalServer.FreePort();
        var server = await LocalServer.StartAsync("azurite", "node",
        [
            script, "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}", "--inMemoryPersistence", "--skipApiVersionCheck",
            "--disableTelemetry", "--silent",
        ], [blob, table]);
        return new Azurite(server, blob, table);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
