namespace OpenLedger.Testing;

/// <summary>redis-server on a free loopback port, nothing saved to disk.</summary>
public sealed class Redis : IAsyncDisposable
{
    private readonly LocalServer _server;

    private Redis(LocalServer server, int port)
    {
        _server = server;
        ConnectionString = $"127.0.0.1:{port}";
    }

    /// <summary>The StackExchange.Redis connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts redis-server (installed by the launcher from Debian's packages).</summary>
    public static async Task<Redis> StartAsync()
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed. Run `./openledger test`, which installs it, or `apt-get install redis-server`.");
        var (server, ports) = await LocalServer.StartOnFreePortsAsync("redis", binary, 1,
            p => ["--port", $"{p[0]}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]);
        var port = ports[0];
        return new Redis(server, port);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
