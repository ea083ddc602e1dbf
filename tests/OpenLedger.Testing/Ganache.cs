namespace OpenLedger.Testing;

/// <summary>A ganache EVM node on a free loopback port, with the grid's fixed development mnemonic and chain id.</summary>
public sealed class Ganache : IAsyncDisposable
{
    /// <summary>The development mnemonic; its first accounts (20 unless asked otherwise) are funded at genesis. Never use it on a real chain.</summary>
    public const string Mnemonic = "test test test test test test test test test test test junk";

    /// <summary>The private key of the mnemonic's first account (m/44'/60'/0'/0/0), funded at genesis.</summary>
    public const string FirstAccountKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    /// <summary>The local chain id.</summary>
    public const int ChainId = 1337;

    private readonly LocalServer _server;

    private Ganache(LocalServer server, int port)
    {
        _server = server;
        RpcUrl = $"http://127.0.0.1:{port}";
    }

    /// <summary>The JSON-RPC endpoint.</summary>
    public string RpcUrl { get; }

    /// <summary>
    /// Starts ganache with instant mining and the mnemonic's first <paramref name="accounts"/> accounts funded;
    /// <paramref name="blockGasLimit"/> sets the block gas limit (ganache's own default, 30,000,000, when null). With
    /// <paramref name="dataFolder"/> the chain is kept there (<c>--database.dbPath</c>), so <see cref="RestartAsync"/>
    /// goes on with the same blocks, balances and contracts.
    /// </summary>
    public static async Task<Ganache> StartAsync(long? blockGasLimit = null, int accounts = 20, string? dataFolder = null)
    {
        var cli = RepoPaths.NodeTool("ganache/dist/node/cli.js");
        string[] limit = blockGasLimit is { } gas ? ["--miner.blockGasLimit", gas.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        string[] database = dataFolder is null ? [] : ["--database.dbPath", dataFolder];
        var (server, ports) = await LocalServer.StartOnFreePortsAsync("ganache", "node", 1, p =>
        [
            cli, "--server.host", "127.0.0.1", "--server.port", $"{p[0]}", "--chain.chainId", $"{ChainId}",
            "--wallet.mnemonic", Mnemonic, "--wallet.totalAccounts", $"{accounts}", "--logging.quiet", "--chain.hardfork", "shanghai", .. limit, .. database,
        ]);
        var port = ports[0];
        return new Ganache(server, port);
    }

    /// <summary>Stops ganache by its process id and starts it again on the same port with the same chain folder.</summary>
    public Task RestartAsync(TimeSpan? downtime = null) => _server.RestartAsync(downtime);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
