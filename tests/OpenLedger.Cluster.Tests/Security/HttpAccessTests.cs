using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenLedger.Client;
using OpenLedger.Client.Agents;

namespace OpenLedger.Cluster.Tests.Security;

/// <summary>
/// Walks the real silo's route table (<c>GET /v1/grid/routes</c>) and calls every route the way an intruder would: every
/// route that answers POST, PUT, PATCH or DELETE must refuse a caller without a key (401) and one with a key of the
/// wrong role (403), and every read outside the documented public ones must refuse a caller without a key. A route
/// added later without its check fails here without anyone listing it. The Orleans dashboard's own checks are in
/// <see cref="Monitoring.OperatorDashboardTests"/>.
/// </summary>
[Collection(AgentGridCollection.Name)]
public sealed partial class HttpAccessTests(AgentGrid grid)
{
    private static readonly string[] _changes = ["POST", "PUT", "PATCH", "DELETE"];

    // Routes that change something for the caller's own agent: an operator key is the wrong role there.
    private static readonly HashSet<string> _agentOnly = ["DELETE /v1/agent/keys/{keyId}"];

    // Inference: any accepted key (an operator's calls are free by design), so no key is of the wrong role; an
    // unknown key is refused like none.
    private static readonly HashSet<string> _anyKey = ["POST /v1/completions", "POST /v1/chat/completions"];

    // How an agent gets its key: no key exists yet, so the proof is a signature over a fresh challenge in the body.
    private static readonly HashSet<string> _signedBody = ["POST /v1/agents/challenge", "POST /v1/agents/keys"];

    // Reads open by design: the silo's banner, health, the API description, the dashboard's static pages (they
    // ask for a key before reading data), and the earnings read model, which mirrors what the chain shows anyway.
    private static readonly Regex _publicReads = PublicReads();

    [Fact]
    public async Task Every_state_changing_route_refuses_no_key_with_401_and_a_key_of_the_wrong_role_with_403()
    {
        var routes = await RoutesAsync();
        var agentKey = await AgentKeyAsync();
        using var anonymous = grid.Http(null);
        using var agent = grid.Http(agentKey);
        using var operatorHttp = grid.Http(AgentGrid.OperatorKey);
        using var unknown = grid.Http("olk_not-a-key-of-this-grid");
        var checkedRoutes = new List<string>();
        foreach (var (pattern, methods) in routes)
        {
            // A route that takes any method takes the state-changing ones too.
            foreach (var method in methods?.Intersect(_changes) ?? _changes)
            {
                var route = $"{method} {pattern}";
                var path = Fill(pattern);
                checkedRoutes.Add(route);
                if (_signedBody.Contains(route))
                {
                    continue;   // checked below
                }
                await ExpectAsync(anonymous, method, path, HttpStatusCode.Unauthorized, route + " without a key");
                if (_anyKey.Contains(route))
                {
                    await ExpectAsync(unknown, method, path, HttpStatusCode.Unauthorized, route + " with an unknown key");
                }
                else if (_agentOnly.Contains(route))
                {
                    await ExpectAsync(operatorHttp, method, path, HttpStatusCode.Forbidden, route + " with an operator key");
                }
                else
                {
                    await ExpectAsync(agent, method, path, HttpStatusCode.Forbidden, route + " with an agent's key");
                }
            }
        }
        // The walk saw the routes it must: an empty or partial table would prove nothing.
        Assert.Superset(new HashSet<string>(["POST /v1/fine_tuning/jobs", "POST /v1/fine_tuning/jobs/{id}/publish", "POST /v1/completions", .. _signedBody, .. _agentOnly]),
            checkedRoutes.ToHashSet());

        // Asking for a key needs no key, but a key is issued only for a signature over a challenge this grid gave.
        var stranger = ContributorKey.Generate();
        var keys = await anonymous.PostAsync("/v1/agents/keys", Json(new { address = stranger.Address, challenge = "made up", signature = "0x00" }));
        Assert.Equal(HttpStatusCode.BadRequest, keys.StatusCode);
        Assert.Contains("challenge_expired", await keys.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reads_outside_the_public_ones_and_the_route_table_itself_need_a_key()
    {
        var routes = await RoutesAsync();
        using var anonymous = grid.Http(null);
        var guarded = 0;
        foreach (var (pattern, methods) in routes.Where(r => r.Methods is null || r.Methods.Contains("GET")))
        {
            if (_publicReads.IsMatch(pattern))
            {
                continue;
            }
            await ExpectAsync(anonymous, "GET", Fill(pattern), HttpStatusCode.Unauthorized, "GET " + pattern + " without a key");
            guarded++;
        }
        Assert.Contains(routes, r => r.Pattern == "/v1/grid/cluster");
        Assert.True(guarded >= 8, $"only {guarded} guarded reads were found");

        // The route table and, on this grid, /metrics are operators' only: an agent's key is refused too.
        using var agent = grid.Http(await AgentKeyAsync());
        await ExpectAsync(agent, "GET", "/v1/grid/routes", HttpStatusCode.Forbidden, "the route table with an agent's key");
        await ExpectAsync(anonymous, "GET", "/metrics", HttpStatusCode.Unauthorized, "/metrics without a key");
        await ExpectAsync(agent, "GET", "/metrics", HttpStatusCode.Unauthorized, "/metrics with an agent's key");
        using var operatorHttp = grid.Http(AgentGrid.OperatorKey);
        Assert.Contains("openledger_", await operatorHttp.GetStringAsync("/metrics"));
    }

    private async Task<List<(string Pattern, string[]? Methods)>> RoutesAsync()
    {
        using var anonymous = grid.Http(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/grid/routes")).StatusCode);
        using var operatorHttp = grid.Http(AgentGrid.OperatorKey);
        using var table = JsonDocument.Parse(await operatorHttp.GetStringAsync("/v1/grid/routes"));
        return [.. table.RootElement.GetProperty("data").EnumerateArray().Select(r => (
            r.GetProperty("pattern").GetString()!,
            r.GetProperty("methods").ValueKind == JsonValueKind.Null ? null : r.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToArray()))];
    }

    private async Task<string> AgentKeyAsync()
    {
        var account = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 0);
        using var client = await AgentClient.RegisterAsync(grid.Url, account.PrivateKey, "access");
        return client.ApiKey;
    }

    private static async Task ExpectAsync(HttpClient http, string method, string path, HttpStatusCode expected, string what)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET" && method != "DELETE")
        {
            request.Content = Json(new { });
        }
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == expected,
            $"{what}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    // A concrete path for a route pattern: numbers where the route wants them, a harmless word elsewhere.
    private static string Fill(string pattern) => RouteParameter().Replace(pattern, m =>
        m.Groups["constraint"].Value is ":long" or ":int" ? "1" : m.Groups["name"].Value == "account" ? "0x0000000000000000000000000000000000000001" : "probe");

    [GeneratedRegex(@"\{\**(?<name>[A-Za-z_]+)(?<constraint>:[a-z]+)?\??\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"^(/|/health|/health/live|/openapi/\{documentName\}\.json|/dashboard(/.*)?|/v1/earnings/.*)$")]
    private static partial Regex PublicReads();
}
