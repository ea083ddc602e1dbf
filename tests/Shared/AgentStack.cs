using System.Net.Http.Headers;
using System.Numerics;
using Nethereum.Web3.Accounts;
using OpenLedger.Client;
using OpenLedger.Client.Chain;
using OpenLedger.Serving;
using OpenLedger.Testing;

namespace OpenLedger.Testing;

/// <summary>
/// A real silo process with the economy on, as `./openledger up` runs it: Azurite, Redis, ganache with our contracts,
/// a tiny model fine-tuned on a Datanet, priced by its owner and deployed as an adapter, served over the HTTP API that
/// agents use. Agents are development accounts funded by the treasury as each test or benchmark needs. Shared by the
/// cluster tests and `./openledger bench agents`.
/// </summary>
/// <param name="accounts">How many development accounts ganache funds with gas; the first five run the economy.</param>
/// <param name="settings">Further silo settings, as <c>--Section:Key=value</c>.</param>
public class AgentStack(int accounts = 20, IReadOnlyList<string>? settings = null) : IAsyncDisposable
{
    /// <summary>One OPEN in wei.</summary>
    public static readonly BigInteger Open = BigInteger.Pow(10, 18);

    /// <summary>The model's price: 0.01 OPEN per 1,000 tokens.</summary>
    public static readonly BigInteger PricePer1k = BigInteger.Pow(10, 16);

    private readonly string _artifacts = Directory.CreateTempSubdirectory("openledger-agents").FullName;
    private Azurite _storage = null!;
    private Redis _redis = null!;
    private Ganache _chain = null!;
    private SiloProcess _silo = null!;
    private LocalEconomy _economy = null!;
    private int _nextAccount = 4;   // 0-3 run the economy, 4 is the challenger

    /// <summary>The deployed contracts.</summary>
    public EconomyContracts Contracts => _economy.Contracts;

    /// <summary>The compiled artifacts.</summary>
    public ContractArtifacts Artifacts => _economy.Artifacts;

    /// <summary>The Azure Storage connection string of the silo's grain state (Azurite).</summary>
    public string StorageConnectionString => _storage.ConnectionString;

    /// <summary>The silo's HTTP API.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The silo's Arrow Flight endpoint for the earnings tables.</summary>
    public Uri FlightUrl { get; private set; } = null!;

    /// <summary>How to reach the silo's Orleans gateway.</summary>
    public GridClientOptions GatewayOptions { get; private set; } = null!;

    /// <summary>The SDK over the silo's gateway (an operator's client).</summary>
    public GridClient Grid { get; private set; } = null!;

    /// <summary>The priced adapter.</summary>
    public string Model { get; private set; } = "";

    /// <summary>Who receives the challenger's part of slashes.</summary>
    public string Challenger { get; } = DevelopmentMnemonic.Address(4);

    /// <summary>The treasury (deployer), which funds agents.</summary>
    public Account Treasury => _economy.Treasury;

    /// <summary>What the silo process has logged so far, for telling why a request failed.</summary>
    public string SiloLog => _silo?.Output ?? "";

    /// <summary>Starts the servers and the silo, deploys the contracts and publishes the priced adapter.</summary>
    public async Task StartAsync()
    {
        var compiled = SolidityBuild.CompileAsync(_artifacts);
        _storage = await Azurite.StartAsync();
        _redis = await Redis.StartAsync();
        _chain = await Ganache.StartAsync(accounts: accounts);
        await compiled;
        _economy = await LocalEconomy.DeployAsync(_chain.RpcUrl, _artifacts);

        // The settlement key at rest as the launcher keeps it: an encrypted keystore and its password file.
        var settlerKey = Path.Combine(_artifacts, "settler.json");
        var settlerPassword = Path.Combine(_artifacts, "settler.password");
        SettlerKeyFiles.Write(DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.SettlerIndex), settlerKey, settlerPassword);
        int http = LocalServer.FreePort(), gateway = LocalServer.FreePort(), flight = LocalServer.FreePort();
        var clusterId = $"agents-{Guid.NewGuid():N}";
        _silo = SiloProcess.Start(http, LocalServer.FreePort(), gateway, [
            $"--OpenLedger:Silo:StorageConnectionString={_storage.ConnectionString}", $"--OpenLedger:Silo:RedisConnectionString={_redis.ConnectionString}",
            $"--OpenLedger:Silo:ClusterId={clusterId}", $"--OpenLedger:Silo:FlightPort={flight}",
            .. _economy.SiloSettings(Challenger, [$"--OpenLedger:Economy:SettlerKeyFile={settlerKey}", $"--OpenLedger:Economy:SettlerKeyPasswordFile={settlerPassword}"]),
            .. settings ?? []]);
        Url = new Uri($"http://127.0.0.1:{http}/");
        FlightUrl = new Uri($"http://127.0.0.1:{flight}/");
        using (var probe = new HttpClient { BaseAddress = Url })
        {
            await _silo.WaitHealthyAsync(probe);
        }
        GatewayOptions = new GridClientOptions { ClusterId = clusterId, StorageConnectionString = _storage.ConnectionString, GatewayPort = gateway };
        Grid = await GridClient.ConnectAsync(GatewayOptions);
        Model = await PricedAdapter.PublishAsync(Grid, PricePer1k);
    }

    /// <summary>A fresh development account, funded with <paramref name="stake"/> staked and <paramref name="deposit"/> in the fee vault.</summary>
    public Task<Account> AgentAsync(BigInteger stake, BigInteger deposit)
    {
        var index = Interlocked.Increment(ref _nextAccount);
        if (index >= accounts)
        {
            throw new InvalidOperationException($"All {accounts} funded development accounts are taken; start the stack with more.");
        }
        return _economy.FundAgentAsync(index, stake, deposit);
    }

    /// <summary>An HTTP client for the API with <paramref name="key"/> as its bearer key.</summary>
    public HttpClient Http(string? key)
    {
        var http = new HttpClient { BaseAddress = Url };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return http;
    }

    /// <summary>Calls a view function.</summary>
    public Task<T> CallAsync<T>(string contract, string address, string function, params object[] arguments) =>
        _economy.CallAsync<T>(contract, address, function, arguments);

    /// <summary>Sends a transaction signed by <paramref name="from"/> and asserts it succeeded.</summary>
    public Task SendAsync(Account from, string contract, string address, string function, params object[] arguments) =>
        _economy.SendAsync(from, contract, address, function, arguments);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (Grid is not null)
        {
            await Grid.DisposeAsync();
        }
        if (_silo is not null)
        {
            await _silo.TerminateAsync();
            _silo.Dispose();
        }
        foreach (var server in new IAsyncDisposable?[] { _chain, _redis, _storage })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
        Directory.Delete(_artifacts, recursive: true);
    }
}
