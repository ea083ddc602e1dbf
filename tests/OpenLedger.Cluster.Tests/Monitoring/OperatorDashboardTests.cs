using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenLedger.Client.Agents;

namespace OpenLedger.Cluster.Tests.Monitoring;

/// <summary>
/// The Orleans dashboard on a real silo with it enabled: refused without an operator key (agents' keys included),
/// served to an operator's tool by bearer key and to a browser by its Basic login. A silo without it configured
/// answers 404 (see <see cref="SiloProcessTests"/>).
/// </summary>
[Collection(AgentGridCollection.Name)]
public sealed class OperatorDashboardTests(AgentGrid grid)
{
    private const string Page = "/orleans-dashboard/";
    private const string Counters = "/orleans-dashboard/DashboardCounters";

    [Fact]
    public async Task The_dashboard_refuses_callers_without_an_operator_key()
    {
        using var anonymous = grid.Http(null);
        var refused = await anonymous.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // A browser asks the operator for the key.
        Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Counters)).StatusCode);

        using var wrong = grid.Http(AgentGrid.OperatorKey + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(Page)).StatusCode);

        // An agent's own key works on the API but is not an operator's.
        var agent = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 0);
        using var client = await AgentClient.RegisterAsync(grid.Url, agent.PrivateKey, "dashboard");
        using var agentHttp = grid.Http(client.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await agentHttp.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await agentHttp.GetAsync(Page)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await agentHttp.GetAsync(Counters)).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_serves_operators_by_bearer_key_or_a_browsers_basic_login()
    {
        using var tool = grid.Http(AgentGrid.OperatorKey);
        var page = await tool.GetAsync(Page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Orleans Dashboard", await page.Content.ReadAsStringAsync());
        // The data behind the page: the dashboard's grains run in the silo and see it.
        using var counters = JsonDocument.Parse(await tool.GetStringAsync(Counters));
        Assert.NotEmpty(counters.RootElement.GetProperty("hosts").EnumerateArray());

        using var browser = grid.Http(null);
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + AgentGrid.OperatorKey)));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(Page)).StatusCode);
    }
}
