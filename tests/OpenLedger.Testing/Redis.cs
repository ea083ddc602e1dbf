namespace OpenLedger.Testing;

/// <summary>redis-server on a free loopback port; nothing saved to disk unless it is given a data folder.</summary>
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

    /// <summary>
    /// Starts redis-server (installed by the launcher from Debian's packages). With <paramref name="dataFolder"/> every
    /// write goes to an append-only file there before it is acknowledged, so <see cref="RestartAsync"/> keeps the data.
    /// </summary>
    public static async Task<Redis> StartAsync(string? dataFolder = null)
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed. Run `./openledger test`, which installs it, or `apt-get install redis-server`.");
        string[] persistence = dataFolder is null
            ? ["--appendonly", "no"]
            : ["--dir", dataFolder, "--appendonly", "yes", "--appendfsync", "always"];
        var (server, ports) = await LocalServer.StartOnFreePortsAsync("redis", binary, 1,
            p => ["--port", $"{p[0]}", "--bind", "127.0.0.1", "--save", "", .. persistence, "--daemonize", "no"]);
        var port = ports[0];
        return new Redis(server, port);
    }

    /// <summary>Stops redis-server by its process id and starts it again on the same port with the same data folder.</summary>
    public Task RestartAsync(TimeSpan? downtime = null) => _server.RestartAsync(downtime);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
