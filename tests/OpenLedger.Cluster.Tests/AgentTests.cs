using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Nethereum.Signer;
using OpenLedger.Agents;
using OpenLedger.Datanets;
using OpenLedger.Economy;
using OpenLedger.Economy.Agents;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Cluster.Tests;

/// <summary>
/// Agents against a real silo, chain and storage: keys from signed challenges and stake, revocation, limits and
/// budgets under concurrent load checked to the wei, and misbehaviour slashed on-chain with its evidence.
/// </summary>
public sealed class AgentTests(AgentGrid grid) : IClassFixture<AgentGrid>
{
    [Fact]
    public async Task An_agent_without_enough_stake_gets_no_key_and_one_that_unstakes_is_refused()
    {
        var unstaked = EthECKey.GenerateKey().GetPrivateKey();
        var (status, error) = await RegisterRawAsync(unstaked);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("stake_too_low", error);

        var agent = await grid.AgentAsync(stake: 150 * AgentGrid.Open, deposit: 10 * AgentGrid.Open);
        var key = await RegisterAsync(agent.PrivateKey);
        using var http = grid.Http(key);
        Assert.Equal(HttpStatusCode.OK, (await CompleteAsync(http, "Incident: ")).Status);

        // Unstaking below the minimum takes effect as soon as the grid reads the stake again.
        await grid.SendAsync(agent, "AgentStaking", grid.Contracts.Staking, "requestUnstake", 100 * AgentGrid.Open);
        var refreshed = JsonDocument.Parse(await http.GetStringAsync("/v1/agent?refresh=true")).RootElement;
        Assert.False(refreshed.GetProperty("eligible").GetBoolean());
        var refused = await CompleteAsync(http, "Incident: ");
        Assert.Equal((HttpStatusCode.Forbidden, "stake_too_low"), (refused.Status, refused.Code));
        // Its own status stays readable below the minimum, so that it can see why; models and inference do not.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/agent")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/v1/models")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once_and_the_agents_other_keys_go_on()
    {
        var agent = await grid.AgentAsync(stake: 120 * AgentGrid.Open, deposit: 0);
        var first = await RegisterAsync(agent.PrivateKey);
        var second = await RegisterAsync(agent.PrivateKey);
        using var one = grid.Http(first);
        using var two = grid.Http(second);
        Assert.Equal(HttpStatusCode.OK, (await one.GetAsync("/v1/models")).StatusCode);

        var keyId = AgentKeyFormat.Parse(first)!.KeyId;
        Assert.Equal(HttpStatusCode.NoContent, (await two.DeleteAsync($"/v1/agent/keys/{keyId}")).StatusCode);
        var after = await one.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("key_revoked", await CodeAsync(after));
        Assert.Equal(HttpStatusCode.OK, (await two.GetAsync("/v1/models")).StatusCode);

        // A key with a wrong secret, or one made up for another agent, is not recognised.
        var forgedSecret = first[..^4] + "AAAA";
        using var wrong = grid.Http(forgedSecret);
        Assert.Equal("invalid_api_key", await CodeAsync(await wrong.GetAsync("/v1/models")));
    }

    [Fact]
    public async Task Limits_hold_under_concurrent_load_without_overspending_or_charging_twice()
    {
        var agent = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 50 * AgentGrid.Open);
        var key = await RegisterAsync(agent.PrivateKey);
        var address = agent.Address.ToLowerInvariant();
        // A budget of a few calls' worth, three at a time.
        var budget = 6 * InferenceFee.Compute(200, AgentGrid.PricePer1k);
        await grid.Grid.Cluster.GetGrain<IAgentGrain>(address).SetLimits(new AgentLimits(Concurrency: 3, EpochBudgetWei: budget.ToString(CultureInfo.InvariantCulture)));
        var depositBefore = await grid.CallAsync<BigInteger>("FeeVault", grid.Contracts.FeeVault, "balanceOf", address);

        using var http = grid.Http(key);
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => CompleteAsync(http, $"Alert {i}: ", maxTokens: 12)));

        var served = results.Where(r => r.Status == HttpStatusCode.OK).ToList();
        Assert.NotEmpty(served);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.Status);
            Assert.Contains(r.Code, new[] { "concurrency_limited", "budget_exceeded", "rate_limited" });
        });
        Assert.Contains(results, r => r.Code == "concurrency_limited" && r.RetryAfter is not null);
        Assert.Equal(served.Count, served.Select(r => r.InferenceId).Distinct().Count());

        // Every served call is charged once, at its tokens x price; refused ones never. Nothing is left held.
        var expected = served.Aggregate(BigInteger.Zero, (sum, r) => sum + InferenceFee.Compute(r.Tokens, AgentGrid.PricePer1k));
        Assert.True(expected <= budget, $"charged {expected} wei past the budget of {budget}");
        var balance = await Poll.UntilAsync(() => grid.Grid.Cluster.GetGrain<IAgentAccountGrain>(address).Balance(),
            b => b.ReservedWei == "0" && BigInteger.Parse(b.UnsettledWei, CultureInfo.InvariantCulture) == expected);
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), balance.UnsettledWei);

        // The epoch takes exactly that from the vault.
        await grid.Grid.Economy.CloseEpochAsync();
        var depositAfter = await grid.CallAsync<BigInteger>("FeeVault", grid.Contracts.FeeVault, "balanceOf", address);
        Assert.Equal(expected, depositBefore - depositAfter);
    }

    [Fact]
    public async Task A_replayed_or_forged_signed_request_is_slashed_on_chain_with_its_evidence()
    {
        var agent = await grid.AgentAsync(stake: 150 * AgentGrid.Open, deposit: 0);
        var key = await RegisterAsync(agent.PrivateKey);
        var address = agent.Address.ToLowerInvariant();
        var supplyBefore = await grid.CallAsync<BigInteger>("OpenToken", grid.Contracts.Token, "totalSupply");
        var challengerBefore = await grid.CallAsync<BigInteger>("OpenToken", grid.Contracts.Token, "balanceOf", grid.Challenger);

        using var http = grid.Http(key);
        var signed = Signed(HttpMethod.Get, "/v1/models", agent.PrivateKey);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(signed())).StatusCode);
        var replay = await http.SendAsync(signed());
        Assert.Equal((HttpStatusCode.Unauthorized, "replayed_request"), (replay.StatusCode, await CodeAsync(replay)));
        var forged = await http.SendAsync(Signed(HttpMethod.Get, "/v1/models", EthECKey.GenerateKey().GetPrivateKey())());
        Assert.Equal((HttpStatusCode.Unauthorized, "forged_request"), (forged.StatusCode, await CodeAsync(forged)));

        var status = await Poll.UntilAsync(() => grid.Grid.Cluster.GetGrain<IAgentGrain>(address).Status(false),
            s => s.Evidence.Count == 2 && s.Evidence.All(e => e.Slash?.Stage == SlashStage.Slashed), TimeSpan.FromSeconds(60));
        Assert.Equal([MisbehaviourKind.ReplayedRequest, MisbehaviourKind.ForgedRequest], status.Evidence.Select(e => e.Kind));
        foreach (var evidence in status.Evidence)
        {
            // The hash on-chain is the hash of the record anyone can read back.
            var canonical = MisbehaviourEvidence.Canonical(evidence.Kind, evidence.Agent, evidence.ObservedAt, evidence.Detail);
            Assert.Equal(evidence.Hash, Hex.Encode(Keccak.Hash(Encoding.UTF8.GetBytes(canonical))));
            Assert.Equal((10 * AgentGrid.Open).ToString(CultureInfo.InvariantCulture), evidence.Slash!.AmountWei);
        }

        // Two slashes of 10 OPEN: 20% of each to the challenger, the rest burned.
        var slashed = 20 * AgentGrid.Open;
        Assert.Equal(150 * AgentGrid.Open - slashed, await grid.CallAsync<BigInteger>("AgentStaking", grid.Contracts.Staking, "stakeOf", address));
        Assert.Equal(challengerBefore + slashed / 5, await grid.CallAsync<BigInteger>("OpenToken", grid.Contracts.Token, "balanceOf", grid.Challenger));
        Assert.Equal(supplyBefore - slashed * 4 / 5, await grid.CallAsync<BigInteger>("OpenToken", grid.Contracts.Token, "totalSupply"));
        var seen = JsonDocument.Parse(await http.GetStringAsync("/v1/agent")).RootElement.GetProperty("evidence");
        Assert.Equal("slashed", seen[0].GetProperty("slash").GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Flooding_past_the_limits_is_warned_then_recorded_as_evidence()
    {
        var agent = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 0);
        var key = await RegisterAsync(agent.PrivateKey);
        var address = agent.Address.ToLowerInvariant();
        await grid.Grid.Cluster.GetGrain<IAgentGrain>(address).SetLimits(new AgentLimits(RequestsPerSecond: 1));
        using var http = grid.Http(key);
        var responses = new List<(HttpStatusCode Status, string? Code, string Message)>();
        for (var i = 0; i < AgentGrid.FloodRefusals + 2; i++)
        {
            var response = await http.GetAsync("/v1/models");
            var body = await response.Content.ReadAsStringAsync();
            responses.Add((response.StatusCode, response.IsSuccessStatusCode ? null : await CodeAsync(response), body));
        }
        var refused = responses.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(refused.Count >= AgentGrid.FloodRefusals, $"{refused.Count} refusals");
        Assert.Contains("Warning 1 of", refused[0].Message, StringComparison.Ordinal);
        // The slash lands before the test ends: ganache can stall when two accounts send at the same moment.
        var status = await Poll.UntilAsync(() => grid.Grid.Cluster.GetGrain<IAgentGrain>(address).Status(false),
            s => s.Evidence.Count == 1 && s.Evidence[0].Slash?.Stage == SlashStage.Slashed, TimeSpan.FromSeconds(60));
        var flooding = Assert.Single(status.Evidence);
        Assert.Equal(MisbehaviourKind.Flooding, flooding.Kind);
        Assert.Equal(SlashStage.Slashed, flooding.Slash!.Stage);
        Assert.Equal(100 * AgentGrid.Open - 10 * AgentGrid.Open, await grid.CallAsync<BigInteger>("AgentStaking", grid.Contracts.Staking, "stakeOf", address));
    }

    [Fact]
    public async Task The_sdk_registers_signs_every_call_rotates_its_key_and_reads_its_spend()
    {
        var agent = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 5 * AgentGrid.Open);
        using var client = await OpenLedger.Client.Agents.AgentClient.RegisterAsync(grid.Url, agent.PrivateKey, "sdk");
        var models = await client.ListModelsAsync();
        Assert.Equal(AgentGrid.PricePer1k, models.Single(m => m.Id == grid.Model).PricePer1kTokensWei);
        var answer = await client.CompleteAsync(grid.Model, "Incident: ", new OpenLedger.Client.OpenAi.OpenAiSampling(MaxTokens: 6), attributeSync: true);
        var fee = InferenceFee.Compute(answer.Usage!.PromptTokens + answer.Usage.CompletionTokens, AgentGrid.PricePer1k);

        var old = client.KeyId!;
        await client.RotateKeyAsync("rotated");
        var status = await client.StatusAsync(refresh: true);
        Assert.True(status.Eligible);
        Assert.Equal(fee, status.Usage.UnsettledWei);
        Assert.Contains(status.Keys, k => k.KeyId == old && k.RevokedAt is not null);
        Assert.Contains(status.Keys, k => k.KeyId == client.KeyId && k.RevokedAt is null);
        Assert.Empty(status.Evidence);  // every call was signed with a fresh nonce
    }

    private sealed record Call(HttpStatusCode Status, string? Code, string? InferenceId, int Tokens, string? RetryAfter);

    private async Task<Call> CompleteAsync(HttpClient http, string prompt, int maxTokens = 6)
    {
        var body = JsonSerializer.Serialize(new { model = grid.Model, prompt, max_tokens = maxTokens, temperature = 0, attribution = "sync" });
        return await PostAsync(http, body);
    }

    private static async Task<Call> PostAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("/v1/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var root = JsonDocument.Parse(text).RootElement;
        if (!response.IsSuccessStatusCode)
        {
            return new Call(response.StatusCode, root.GetProperty("error").GetProperty("code").GetString(), null, 0, response.Headers.RetryAfter?.ToString());
        }
        var usage = root.GetProperty("usage");
        return new Call(response.StatusCode, null, root.GetProperty("id").GetString(),
            usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), null);
    }

    private async Task<string> RegisterAsync(string privateKey)
    {
        var (status, key) = await RegisterRawAsync(privateKey);
        Assert.Equal(HttpStatusCode.Created, status);
        return key!;
    }

    // Returns the status and the key (on success) or the error code.
    private async Task<(HttpStatusCode Status, string? KeyOrCode)> RegisterRawAsync(string privateKey)
    {
        using var http = grid.Http(null);
        var address = new EthECKey(privateKey).GetPublicAddress();
        var challenge = JsonDocument.Parse(await (await http.PostAsync("/v1/agents/challenge", Json(new { address }))).Content.ReadAsStringAsync())
            .RootElement.GetProperty("challenge").GetString()!;
        var signature = AgentSignatures.Sign(challenge, privateKey);
        using var response = await http.PostAsync("/v1/agents/keys", Json(new { address, challenge, signature, label = "tests" }));
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, response.IsSuccessStatusCode ? root.GetProperty("key").GetString() : root.GetProperty("error").GetProperty("code").GetString());
    }

    // A request factory: every request it makes carries the same signed headers (for replaying them).
    private static Func<HttpRequestMessage> Signed(HttpMethod method, string path, string privateKey)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var nonce = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var text = AgentSignatures.Request(method.Method, path, timestamp, nonce, AgentSignatures.BodyHash([]));
        var signature = AgentSignatures.Sign(text, privateKey);
        return () =>
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add("X-OpenLedger-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-OpenLedger-Nonce", nonce);
            request.Headers.Add("X-OpenLedger-Signature", signature);
            return request;
        };
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString();
}
