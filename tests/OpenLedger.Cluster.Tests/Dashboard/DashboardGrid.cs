using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Microsoft.Playwright;
using Nethereum.Web3.Accounts;
using OpenLedger.Economy.Agents;
using OpenLedger.Testing;

namespace OpenLedger.Cluster.Tests.Dashboard;

/// <summary>
/// What the dashboard tests share: one real silo process with the economy on and a priced adapter trained on a tiny
/// model (an <see cref="AgentStack"/>), an operator key for it, and one headless Chromium (Debian's, driven by
/// Playwright; no browser is downloaded). Each test opens its own page.
/// </summary>
public sealed class DashboardGrid() : AgentStack(settings: [$"--OpenLedger:Agents:Keys:0={OperatorKey}"]), IAsyncLifetime
{
    /// <summary>The operator key the silo accepts.</summary>
    public const string OperatorKey = "dashboard-operator-key-5c1e";

    /// <summary>Where Debian installs Chromium (`./openledger` installs it with the other Debian packages).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The viewport every page opens with; screenshots are this size.</summary>
    public static readonly ViewportSize Viewport = new() { Width = 1280, Height = 900 };

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (`apt-get install chromium`, or run `./openledger test`, which installs it).");
        }
        var started = StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
        await started;
    }

    /// <summary>A new page whose dashboard uses <paramref name="key"/> (the operator's by default), not yet navigated.</summary>
    public async Task<IPage> PageAsync(string? key = OperatorKey)
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = Viewport, BaseURL = Url.ToString() });
        if (key is not null)
        {
            // The pages read their key from local storage, where the header's key field saves it.
            await context.AddInitScriptAsync($"localStorage.setItem('openledger.apiKey', {JsonSerializer.Serialize(key)});");
        }
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        return page;
    }

    /// <summary>An HTTP client with the operator key.</summary>
    public HttpClient Operator() => Http(OperatorKey);

    /// <summary>A staked agent with a deposit and a key it registered by signing a challenge.</summary>
    public async Task<(Account Account, string Key)> PayingAgentAsync(BigInteger deposit)
    {
        var agent = await AgentAsync(stake: 100 * Open, deposit: deposit);
        using var http = Http(null);
        var challenge = await (await http.PostAsJsonAsync("/v1/agents/challenge", new { address = agent.Address })).Content.ReadFromJsonAsync<JsonElement>();
        var text = challenge.GetProperty("challenge").GetString()!;
        var issued = await http.PostAsJsonAsync("/v1/agents/keys", new { address = agent.Address, challenge = text, signature = AgentSignatures.Sign(text, agent.PrivateKey), label = "dashboard" });
        issued.EnsureSuccessStatusCode();
        return (agent, (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
    }

    /// <inheritdoc />
    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await DisposeAsync();
    }
}

/// <summary>The dashboard tests' collection: one <see cref="DashboardGrid"/> for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardGrid>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "dashboard";
}
