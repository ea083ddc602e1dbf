using System.Numerics;
using System.Text.Json;
using Nethereum.Web3.Accounts;
using OpenLedger.Client;
using OpenLedger.Client.Agents;
using OpenLedger.Client.Chain;

namespace OpenLedger.Cluster.Tests.Faults;

/// <summary>
/// Three silo processes in one cluster on loopback, with Azure Table membership on Azurite, the economy on (settler
/// key, contracts on ganache) and a priced adapter: the grid the fault tests break. Azurite, Redis and ganache keep
/// their data in folders, so each can be stopped and started again on its port without losing anything; a silo can be
/// killed (SIGKILL by process id) and started again on its ports, or lost for good.
/// </summary>
public sealed class FaultGrid : IAsyncDisposable
{
    /// <summary>The adapter's price: 0.01 OPEN per 1,000 tokens, as in the agent stack.</summary>
    public static readonly BigInteger PricePer1k = AgentStack.PricePer1k;

    private const int FirstAgentAccount = 5;    // 0-3 run the economy, 4 is the challenger
    private readonly string _folder = Directory.CreateTempSubdirectory("openledger-faults").FullName;
    private readonly List<FaultSilo> _silos = [];
    private readonly string _clusterId = $"faults-{Guid.NewGuid():N}";
    private IReadOnlyList<string> _siloSettings = [];

    private FaultGrid(FaultLog log) => Log = log;

    /// <summary>The progress log of the test now using the grid.</summary>
    public FaultLog Log { get; set; }

    /// <summary>Storage: grain state, membership, blobs.</summary>
    public Azurite Storage { get; private set; } = null!;

    /// <summary>The serving inventory and adapter cache.</summary>
    public Redis Redis { get; private set; } = null!;

    /// <summary>The EVM node.</summary>
    public Ganache Chain { get; private set; } = null!;

    /// <summary>The contracts, the treasury and chain calls.</summary>
    public LocalEconomy Economy { get; private set; } = null!;

    /// <summary>The SDK over the cluster's gateways (found through the membership table).</summary>
    public GridClient Grid { get; private set; } = null!;

    /// <summary>The priced adapter.</summary>
    public string Model { get; private set; } = "";

    /// <summary>Funded agents with their API keys.</summary>
    public IReadOnlyList<FaultAgent> Agents { get; private set; } = [];

    /// <summary>Every silo, live or not.</summary>
    public IReadOnlyList<FaultSilo> Silos => _silos;

    /// <summary>The silos now running.</summary>
    public IReadOnlyList<FaultSilo> Live => [.. _silos.Where(s => s.Running)];

    /// <summary>
    /// Starts the servers (with data folders), compiles and deploys the contracts, starts <paramref name="silos"/>
    /// silos, publishes the priced adapter and funds <paramref name="agents"/> agents with stake and deposit.
    /// </summary>
    public static async Task<FaultGrid> StartAsync(FaultLog log, int silos = 3, int agents = 3, IReadOnlyList<string>? settings = null)
    {
        var grid = new FaultGrid(log);
        try
        {
            await grid.InitializeAsync(silos, agents, settings ?? []);
        }
        catch
        {
            await grid.DisposeAsync();
            throw;
        }
        return grid;
    }

    /// <summary>Kills silo <paramref name="index"/> at once (SIGKILL by its process id).</summary>
    public async Task KillAsync(int index)
    {
        await _silos[index].KillAsync();
        Log.Write($"silo {index} killed (SIGKILL)");
    }

    /// <summary>Starts silo <paramref name="index"/> again, as a new process on the same ports, and waits until it is healthy.</summary>
    public async Task RestartAsync(int index)
    {
        await _silos[index].StartAsync(_siloSettings);
        Log.Write($"silo {index} restarted and healthy");
    }

    /// <summary>
    /// The silo that now hosts the adapter's grain, as <c>/v1/models</c> names it, or null when no live silo says.
    /// </summary>
    public async Task<FaultSilo?> AdapterSiloAsync()
    {
        foreach (var silo in Live)
        {
            try
            {
                using var http = silo.Http(Agents[0].ApiKey);
                using var models = JsonDocument.Parse(await http.GetStringAsync("/v1/models"));
                var host = models.RootElement.GetProperty("data").EnumerateArray()
                    .FirstOrDefault(m => m.GetProperty("id").GetString() == Model).GetProperty("silo").GetString();
                return host is null ? null : _silos.FirstOrDefault(s => host.Contains($":{s.SiloPort}", StringComparison.Ordinal));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or KeyNotFoundException or InvalidOperationException)
            {
            }
        }
        return null;
    }

    /// <summary>The silo that hosts <paramref name="grain"/>'s activation now, or null when it is not active.</summary>
    public async Task<FaultSilo?> HostOfAsync(IAddressable grain)
    {
        var address = await Grid.Cluster.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return address is null ? null : _silos.FirstOrDefault(s => s.SiloPort == address.Endpoint.Port);
    }

    /// <summary>The settlement grain.</summary>
    public OpenLedger.Economy.ISettlementGrain Settlement =>
        Grid.Cluster.GetGrain<OpenLedger.Economy.ISettlementGrain>(OpenLedger.Economy.ISettlementGrain.Key);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Grid is not null)
        {
            try
            {
                await Grid.DisposeAsync();
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or Orleans.Runtime.OrleansException)
            {
                // A client whose gateways were killed may not close cleanly; the processes go below regardless.
            }
        }
        foreach (var silo in _silos)
        {
            await silo.StopAsync();
        }
        foreach (var server in new IAsyncDisposable?[] { Chain, Redis, Storage })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
        Directory.Delete(_folder, recursive: true);
    }

    private async Task InitializeAsync(int silos, int agents, IReadOnlyList<string> settings)
    {
        var artifacts = Folder("contracts");
        var compiled = SolidityBuild.CompileAsync(artifacts);
        Storage = await Azurite.StartAsync(Folder("azurite"));
        Redis = await Redis.StartAsync(Folder("redis"));
        Chain = await Ganache.StartAsync(accounts: FirstAgentAccount + agents, dataFolder: Folder("ganache"));
        await compiled;
        Economy = await LocalEconomy.DeployAsync(Chain.RpcUrl, artifacts);
        Log.Write("servers started and contracts deployed");
        _siloSettings =
        [
            $"--OpenLedger:Silo:StorageConnectionString={Storage.ConnectionString}", $"--OpenLedger:Silo:RedisConnectionString={Redis.ConnectionString}",
            $"--OpenLedger:Silo:ClusterId={_clusterId}",
            .. Economy.SiloSettings(DevelopmentMnemonic.Address(4)), .. settings,
        ];
        for (var i = 0; i < silos; i++)
        {
            _silos.Add(new FaultSilo(i, LocalServer.FreePort(), LocalServer.FreePort(), LocalServer.FreePort()));
        }
        // The first silo creates the membership table; the others join it.
        await _silos[0].StartAsync(_siloSettings);
        await Task.WhenAll(_silos.Skip(1).Select(s => s.StartAsync(_siloSettings)));
        Log.Write($"{silos} silos healthy");
        Grid = await GridClient.ConnectAsync(new GridClientOptions { ClusterId = _clusterId, StorageConnectionString = Storage.ConnectionString });
        Model = await PricedAdapter.PublishAsync(Grid, PricePer1k, "faults");
        Log.Write($"adapter {Model} trained, priced and deployed");

        var funded = new List<FaultAgent>();
        for (var i = 0; i < agents; i++)
        {
            var account = await Economy.FundAgentAsync(FirstAgentAccount + i, stake: 100 * AgentStack.Open, deposit: 20 * AgentStack.Open);
            using var client = await AgentClient.RegisterAsync(_silos[i % silos].Url, account.PrivateKey, "faults");
            funded.Add(new FaultAgent(account, client.ApiKey));
        }
        Agents = funded;
        Log.Write($"{agents} agents funded and registered");
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
}

/// <summary>An agent of the fault grid: its funded account and the API key it calls with.</summary>
/// <param name="Account">The development account (staked, with a deposit in the fee vault).</param>
/// <param name="ApiKey">Its key for the HTTP API.</param>
public sealed record FaultAgent(Account Account, string ApiKey)
{
    /// <summary>The agent's address, lower case as the ledger keeps it.</summary>
    public string Address => Account.Address.ToLowerInvariant();
}
