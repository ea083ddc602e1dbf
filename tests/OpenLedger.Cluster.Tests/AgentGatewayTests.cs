using System.Globalization;
using System.Numerics;
using OpenLedger.Agents;
using OpenLedger.Client.Agents;
using OpenLedger.Client.OpenAi;
using OpenLedger.Economy;
using OpenLedger.Economy.Fees;
using GridErrors = OpenLedger.Errors;

namespace OpenLedger.Cluster.Tests;

/// <summary>
/// Agents calling through the Orleans gateway instead of HTTP, against a real silo, chain and storage: the same
/// listing with prices, completions charged to the wei, spend in the status, and the same refusals for revoked keys,
/// missing stake and replayed signatures.
/// </summary>
[Collection(AgentGridCollection.Name)]
public sealed class AgentGatewayTests(AgentGrid grid)
{
    private static readonly OpenAiSampling _short = new(MaxTokens: 6);

    [Fact]
    public async Task A_gateway_agent_lists_prices_completes_streams_and_is_charged_tokens_times_price_to_the_wei()
    {
        var agent = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 5 * AgentGrid.Open);
        var address = agent.Address.ToLowerInvariant();
        string key, keyId;
        using (var http = await AgentClient.RegisterAsync(grid.Url, agent.PrivateKey, "gateway"))
        {
            (key, keyId) = (http.ApiKey, http.KeyId!);
        }
        // Its own connection to the cluster, as an agent process would open it.
        await using var gateway = await AgentClient.ConnectGatewayAsync(grid.GatewayOptions, key, agent.PrivateKey, keyId: keyId);
        Assert.True(gateway.OverGateway);

        var model = (await gateway.ListModelsAsync()).Single(m => m.Id == grid.Model);
        Assert.Equal(AgentGrid.PricePer1k, model.PricePer1kTokensWei);
        Assert.NotNull(model.BaseModel);
        Assert.NotNull(model.Residency);

        var whole = await gateway.CompleteAsync(grid.Model, "Incident: ", _short);
        Assert.StartsWith("inf-", whole.InferenceId, StringComparison.Ordinal);
        var pieces = new List<OpenAiCompletionChunk>();
        await foreach (var piece in gateway.StreamChatAsync(grid.Model, [new OpenAiChatMessage("user", "Summarise the outage.")], _short))
        {
            pieces.Add(piece);
        }
        var last = pieces[^1];
        Assert.NotNull(last.FinishReason);
        Assert.StartsWith("inf-", last.InferenceId, StringComparison.Ordinal);
        Assert.All(pieces[..^1], p => Assert.Null(p.Usage));

        // Each answer is charged once, at its tokens x price; nothing stays held once the calls are done.
        var expected = Fee(whole.Usage!) + Fee(last.Usage!);
        var balance = await Poll.UntilAsync(() => grid.Grid.Cluster.GetGrain<IAgentAccountGrain>(address).Balance(),
            b => b.ReservedWei == "0" && BigInteger.Parse(b.UnsettledWei, CultureInfo.InvariantCulture) == expected);
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), balance.UnsettledWei);

        var status = await gateway.StatusAsync();
        Assert.Equal(expected, status.Usage.UnsettledWei);
        Assert.Equal(0, status.Usage.InFlight);
        // Every call was signed over the gateway; a signature the grid read differently would be evidence of forgery.
        Assert.Empty(status.Evidence);
        Assert.Equal(whole.InferenceId, (await gateway.GetAttributionAsync(whole.InferenceId!)).InferenceId);

        // Rotating over the gateway issues a new key with the private key and revokes the old one.
        await gateway.RotateKeyAsync("rotated");
        var rotated = await gateway.StatusAsync();
        Assert.Contains(rotated.Keys, k => k.KeyId == keyId && k.IsRevoked);
        Assert.Contains(rotated.Keys, k => k.KeyId == gateway.KeyId && !k.IsRevoked);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_over_the_gateway_at_once_and_the_other_key_goes_on()
    {
        var agent = await grid.AgentAsync(stake: 120 * AgentGrid.Open, deposit: 0);
        using var first = await AgentClient.RegisterAsync(grid.Url, agent.PrivateKey, "first");
        using var second = await AgentClient.RegisterAsync(grid.Url, agent.PrivateKey, "second");
        await using var one = AgentClient.ConnectGateway(grid.Grid.Cluster, first.ApiKey);
        await using var two = AgentClient.ConnectGateway(grid.Grid.Cluster, second.ApiKey);
        Assert.NotEmpty(await one.ListModelsAsync());

        await two.RevokeKeyAsync(first.KeyId!);

        var refused = await Assert.ThrowsAsync<AgentKeyRejectedException>(() => one.ListModelsAsync());
        Assert.Equal((401, AgentErrors.KeyRevoked), (refused.Status, refused.Code));
        Assert.NotEmpty(await two.ListModelsAsync());
        await using var madeUp = AgentClient.ConnectGateway(grid.Grid.Cluster, first.ApiKey[..^4] + "AAAA");
        Assert.Equal(AgentErrors.InvalidApiKey, (await Assert.ThrowsAsync<AgentKeyRejectedException>(() => madeUp.StatusAsync())).Code);
    }

    [Fact]
    public async Task A_key_whose_stake_is_gone_is_refused_over_the_gateway()
    {
        var agent = await grid.AgentAsync(stake: 150 * AgentGrid.Open, deposit: 5 * AgentGrid.Open);
        using var http = await AgentClient.RegisterAsync(grid.Url, agent.PrivateKey, "stake");
        await using var gateway = AgentClient.ConnectGateway(grid.Grid.Cluster, http.ApiKey, agent.PrivateKey);
        Assert.NotNull((await gateway.CompleteAsync(grid.Model, "Incident: ", _short)).InferenceId);

        await grid.SendAsync(agent, "AgentStaking", grid.Contracts.Staking, "requestUnstake", 100 * AgentGrid.Open);

        Assert.False((await gateway.StatusAsync(refresh: true)).Eligible);
        var refused = await Assert.ThrowsAsync<StakeTooLowException>(() => gateway.CompleteAsync(grid.Model, "Incident: ", _short));
        Assert.Equal((403, AgentErrors.StakeTooLow), (refused.Status, refused.Code));
        await Assert.ThrowsAsync<StakeTooLowException>(() => gateway.ListModelsAsync());
    }

    [Fact]
    public async Task A_replayed_or_moved_signature_over_the_gateway_is_refused_and_recorded_as_evidence()
    {
        var agent = await grid.AgentAsync(stake: 150 * AgentGrid.Open, deposit: 0);
        using var http = await AgentClient.RegisterAsync(grid.Url, agent.PrivateKey, "replay");
        var door = grid.Grid.Cluster.GetGrain<IAgentGatewayGrain>(0);
        // One signed listing, presented twice as a replaying gateway client would.
        var signer = new AgentRequestSigner(agent.PrivateKey);
        var signature = signer.Sign(AgentGatewayRequests.Get, AgentGatewayRequests.Models, []);
        var signed = Credential(http.ApiKey, signature);
        Assert.NotEmpty(await door.ListModels(signed));

        var replay = await Assert.ThrowsAsync<GridErrors.AgentKeyRejectedException>(() => door.ListModels(signed));
        Assert.Equal("replayed_request", replay.Code);
        // The grid rebuilds the signed text from the call itself: a fresh listing's signature does not hold for a status read.
        var moved = Credential(http.ApiKey, signer.Sign(AgentGatewayRequests.Get, AgentGatewayRequests.Models, []));
        var forged = await Assert.ThrowsAsync<GridErrors.AgentKeyRejectedException>(() => door.Status(moved, false));
        Assert.Equal("forged_request", forged.Code);

        await using var gateway = AgentClient.ConnectGateway(grid.Grid.Cluster, http.ApiKey, agent.PrivateKey);
        var status = await Poll.UntilAsync(() => gateway.StatusAsync(), s => s.Evidence.Count == 2);
        Assert.Equal([AgentMisbehaviour.ReplayedRequest, AgentMisbehaviour.ForgedRequest], status.Evidence.Select(e => e.Kind));
        Assert.Contains(signature.Nonce, status.Evidence[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_gateway_stream_stops_it_and_frees_its_slot()
    {
        var agent = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 5 * AgentGrid.Open);
        using var http = await AgentClient.RegisterAsync(grid.Url, agent.PrivateKey, "cancel");
        await grid.Grid.Cluster.GetGrain<IAgentGrain>(agent.Address.ToLowerInvariant()).SetLimits(new OpenLedger.Agents.AgentLimits(Concurrency: 1));
        // No retries: a slot still held would show as a concurrency refusal.
        await using var gateway = AgentClient.ConnectGateway(grid.Grid.Cluster, http.ApiKey, agent.PrivateKey, new AgentClientOptions { MaxRetries = 0 });

        using var stop = new CancellationTokenSource();
        var pieces = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in gateway.StreamCompletionAsync(grid.Model, "Incident: ", new OpenAiSampling(MaxTokens: 200), cancellation: stop.Token))
            {
                pieces++;
                await stop.CancelAsync();
            }
        });

        Assert.Equal(1, pieces);
        var status = await Poll.UntilAsync(() => gateway.StatusAsync(), s => s.Usage.InFlight == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(0, status.Usage.InFlight);
        Assert.NotNull((await gateway.CompleteAsync(grid.Model, "Incident: ", _short)).InferenceId);
    }

    private static AgentCredential Credential(string key, AgentRequestSignature signature) =>
        new(key, new AgentCallSignature(signature.Timestamp, signature.Nonce, signature.Signature));

    private static BigInteger Fee(OpenAiUsage usage) => InferenceFee.Compute(usage.PromptTokens + usage.CompletionTokens, AgentGrid.PricePer1k);
}
