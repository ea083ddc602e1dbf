using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Numerics;
using OpenLedger.Cli.Chain;
using OpenLedger.Cli.Commands;
using OpenLedger.Client;
using OpenLedger.Client.Agents;
using OpenLedger.Client.Chain;
using OpenLedger.Client.OpenAi;
using OpenLedger.Economy.Fees;
using Spectre.Console;

namespace OpenLedger.Cli.Demo;

/// <summary>
/// The demo's agents: four programs (development accounts 5 to 8) stake, deposit and register keys through the SDK,
/// then call the fine-tuned model at the same time, each paying from its own deposit. One of them resends a signed
/// request word for word; the grid refuses the replay, records it as evidence, and the settlement path slashes the
/// agent's stake on-chain: part to the challenger, the rest burned, and the agent is refused until it stakes again.
/// </summary>
internal static class AgentsDemo
{
    private const int CallsEach = 3;
    private const int FirstAccount = 5;
    private static readonly BigInteger _stake = 100 * BigInteger.Pow(10, 18);
    private static readonly BigInteger _deposit = 5 * BigInteger.Pow(10, 18);
    private static readonly TimeSpan _slashWait = TimeSpan.FromSeconds(90);
    // Attribution runs queued beside serving; seconds each here, so minutes mean something is wrong.
    private static readonly TimeSpan _attributionWait = TimeSpan.FromMinutes(3);
    private static readonly string[] _names = ["triage-bot", "intel-digest", "soc-copilot", "replay-bot"];
    private static readonly string[] _prompts =
    [
        "title: Beaconing from build server\ncategory: malware\n",
        "title: Password spraying against VPN\ncategory: credential-access\n",
        "title: Data exfiltration over DNS\ncategory: exfiltration\n",
    ];

    /// <summary>Runs the agents' steps against model <paramref name="modelId"/>, numbering them from <paramref name="firstStep"/>; returns the figures for --json.</summary>
    public static async Task<object> RunAsync(string modelId, int firstStep, Output o)
    {
        var narration = new DemoNarration(o, firstStep);
        var rpc = EconomyDemo.Rpc;
        var contracts = ChainEndpoint.LoadContracts(EconomyDemo.RecordFile);
        var artifacts = ContractArtifacts.Load(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(EconomyDemo.RecordFile))!, "contracts"));
        var url = HttpUrl();

        narration.Step($"{_names.Length} agents stake, register keys and call the model at once");
        var keys = _names.Select((_, i) => DevelopmentMnemonic.PrivateKey(FirstAccount + i)).ToList();
        // One after another: ganache can stall when several accounts send in the same instant.
        foreach (var key in keys)
        {
            await TopUpAsync(rpc, contracts, artifacts, key);
        }
        var agents = new List<AgentClient>();
        try
        {
            foreach (var (key, name) in keys.Zip(_names))
            {
                agents.Add(await AgentClient.RegisterAsync(url, key, label: name));
            }
            var price = (await agents[0].ListModelsAsync()).FirstOrDefault(m => m.Id == modelId)?.PricePer1kTokensWei
                ?? throw new CliException($"The grid does not list model {modelId} with a price.");
            var before = await Task.WhenAll(agents.Select(a => a.StatusAsync()));
            var calls = await Task.WhenAll(agents.Select((agent, i) => CallAsync(agent, modelId, i)));
            // A call's fee is final once its attribution is: until then the call's largest possible fee stays held.
            var after = await SettledAsync(agents);
            var charged = after.Select((s, i) => s.Usage.UnsettledWei - before[i].Usage.UnsettledWei).ToList();
            var expected = calls.Select(c => c.Aggregate(BigInteger.Zero, (sum, t) => sum + InferenceFee.Compute(t, price))).ToList();
            if (!o.Json)
            {
                var table = Output.Table("agent", "calls", "tokens", "charged (OPEN)", "tokens × price", "deposit left (OPEN)");
                for (var i = 0; i < agents.Count; i++)
                {
                    table.AddRow(_names[i], $"{calls[i].Count}", $"{calls[i].Sum()}",
                        EconomyCommands.Open(charged[i]), charged[i] == expected[i] ? "[green]exact[/]" : $"[red]{EconomyCommands.Open(expected[i])}[/]",
                        EconomyCommands.Open(after[i].Usage.AvailableWei));
                }
                AnsiConsole.Write(table);
            }
            if (!charged.SequenceEqual(expected))
            {
                throw new CliException("An agent was charged other than its answers' tokens × the model's price; see above.");
            }
            narration.Say($"Each call held its largest possible fee from the agent's own deposit until its attribution was final, then paid tokens × {EconomyCommands.Open(price)} OPEN per 1,000 tokens, to the wei; the fees settle with the epoch below. Every key came from signing a challenge, and every request was signed.");

            narration.Step($"{_names[^1]} replays a signed request and is slashed on-chain");
            var slashed = await ReplayAndSlashAsync(agents[^1], keys[^1], rpc, contracts, artifacts, narration, o);
            return new
            {
                agents = agents.Select((a, i) => new
                {
                    name = _names[i],
                    address = after[i].Address,
                    calls = calls[i].Count,
                    tokens = calls[i].Sum(),
                    chargedWei = charged[i].ToString(CultureInfo.InvariantCulture),
                }),
                slashed,
            };
        }
        finally
        {
            agents.ForEach(a => a.Dispose());
        }
    }

    // Tops the agent's stake and deposit up to the demo's amounts, funded by the local treasury, so reruns start alike.
    private static async Task TopUpAsync(string rpc, EconomyContracts contracts, ContractArtifacts artifacts, string key)
    {
        var address = new Nethereum.Signer.EthECKey(key).GetPublicAddress();
        var treasury = DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex);
        var staked = await AgentDeposits.StakeOfAsync(rpc, contracts, artifacts, address);
        if (staked < _stake)
        {
            await AgentDeposits.StakeAsync(rpc, contracts, artifacts, key, _stake - staked, treasury);
        }
        var held = await AgentDeposits.BalanceAsync(rpc, contracts, artifacts, address);
        if (held < _deposit)
        {
            await AgentDeposits.DepositAsync(rpc, contracts, artifacts, key, _deposit - held, treasury);
        }
    }

    // Each answer's tokens, prompt and completion: what its fee is computed from.
    private static async Task<List<int>> CallAsync(AgentClient agent, string modelId, int index)
    {
        var tokens = new List<int>();
        for (var call = 0; call < CallsEach; call++)
        {
            var answer = await agent.CompleteAsync(modelId, _prompts[(index + call) % _prompts.Length], new OpenAiSampling(MaxTokens: 24, Temperature: 0.7, Seed: index * 10 + call));
            tokens.Add(answer.Usage is { } usage ? usage.PromptTokens + usage.CompletionTokens : 0);
        }
        return tokens;
    }

    // The agents' status once nothing is held any more: every call attributed and charged.
    private static async Task<AgentStatus[]> SettledAsync(List<AgentClient> agents)
    {
        var deadline = DateTimeOffset.UtcNow + _attributionWait;
        while (true)
        {
            var statuses = await Task.WhenAll(agents.Select(a => a.StatusAsync()));
            if (statuses.All(s => s.Usage.ReservedWei == 0))
            {
                return statuses;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new CliException($"The agents' calls were not all attributed and charged within {_attributionWait.TotalMinutes:0} minutes; see the silo's log.");
            }
            await Task.Delay(500);
        }
    }

    private static async Task<object> ReplayAndSlashAsync(AgentClient agent, string privateKey, string rpc, EconomyContracts contracts,
        ContractArtifacts artifacts, DemoNarration narration, Output o)
    {
        var known = (await agent.StatusAsync()).Evidence.Select(e => e.Hash).ToHashSet(StringComparer.Ordinal);
        var address = agent.Address!;
        var stakeBefore = await AgentDeposits.StakeOfAsync(rpc, contracts, artifacts, address);
        var supplyBefore = await EconomyDemo.TotalSupplyAsync(contracts);

        // The same signed request twice: the nonce makes the second one a replay, which only a copied request can be.
        var signature = new AgentRequestSigner(privateKey).Sign("GET", "/v1/models", []);
        using var http = new HttpClient { BaseAddress = agent.BaseAddress };
        HttpRequestMessage Signed()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.ApiKey);
            request.Headers.Add(AgentRequestSigner.TimestampHeader, signature.Timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(AgentRequestSigner.NonceHeader, signature.Nonce);
            request.Headers.Add(AgentRequestSigner.SignatureHeader, signature.Signature);
            return request;
        }
        using var first = await http.SendAsync(Signed());
        using var replay = await http.SendAsync(Signed());
        narration.Say($"The signed request: [green]{(int)first.StatusCode} {first.StatusCode}[/]. The same bytes again: [yellow]{(int)replay.StatusCode} {replay.StatusCode}[/], refused before any work.");
        if (first.StatusCode != HttpStatusCode.OK || replay.StatusCode != HttpStatusCode.Unauthorized)
        {
            throw new CliException($"The grid answered {(int)first.StatusCode} then {(int)replay.StatusCode} to a signed request and its replay; expected 200 then 401.");
        }

        var evidence = await WaitForSlashAsync(agent, known);
        var slash = evidence.Slash!;
        var stakeAfter = await AgentDeposits.StakeOfAsync(rpc, contracts, artifacts, address);
        var supplyAfter = await EconomyDemo.TotalSupplyAsync(contracts);
        string refusal;
        try
        {
            await agent.ListModelsAsync();
            refusal = "none: the agent still calls";
        }
        catch (StakeTooLowException e)
        {
            refusal = $"{e.Status} {e.Code}";
        }
        if (!o.Json)
        {
            var table = Output.Table("evidence", "");
            table.AddRow("kind", $"{evidence.Kind}");
            table.AddRow("record hash (on-chain)", Markup.Escape(evidence.Hash));
            table.AddRow("what the grid saw", Markup.Escape(evidence.Detail));
            table.AddRow("slash", $"[red]{EconomyCommands.Open(slash.AmountWei)} OPEN[/] ({slash.Stage}, transaction {Markup.Escape(Output.Short(slash.Transaction ?? "-"))})");
            table.AddRow("to the challenger", $"{EconomyCommands.Open(slash.ToChallengerWei)} OPEN → {Markup.Escape(Output.Short(slash.Challenger))}");
            table.AddRow("burned", $"{EconomyCommands.Open(slash.BurnedWei)} OPEN (supply {EconomyCommands.Open(supplyBefore)} → {EconomyCommands.Open(supplyAfter)})");
            table.AddRow("stake", $"{EconomyCommands.Open(stakeBefore)} → [red]{EconomyCommands.Open(stakeAfter)}[/] OPEN");
            table.AddRow("its next call", Markup.Escape(refusal));
            AnsiConsole.Write(table);
        }
        if (stakeBefore - stakeAfter != slash.AmountWei || supplyBefore - supplyAfter != slash.BurnedWei || slash.ToChallengerWei + slash.BurnedWei != slash.AmountWei)
        {
            throw new CliException("The slash did not move the amounts the evidence says; see above.");
        }
        return new
        {
            agent = address,
            evidence = evidence.Hash,
            kind = evidence.Kind?.ToString(),
            slashedWei = slash.AmountWei.ToString(CultureInfo.InvariantCulture),
            toChallengerWei = slash.ToChallengerWei.ToString(CultureInfo.InvariantCulture),
            burnedWei = slash.BurnedWei.ToString(CultureInfo.InvariantCulture),
            slash.Transaction,
            nextCall = refusal,
        };
    }

    // The grid proposes the slash, its settlement sends it; the agent's status shows each stage.
    private static async Task<AgentEvidence> WaitForSlashAsync(AgentClient agent, IReadOnlySet<string> known)
    {
        var deadline = DateTimeOffset.UtcNow + _slashWait;
        while (true)
        {
            var fresh = (await agent.StatusAsync()).Evidence.Where(e => !known.Contains(e.Hash)).ToList();
            if (fresh is [{ Slash.Stage: SlashStage.Slashed }])
            {
                return fresh[0];
            }
            if (fresh.Any(e => e.Slash?.Stage == SlashStage.Failed))
            {
                throw new CliException("The chain refused the slash; see the silo's log.");
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new CliException($"The replay's slash did not land within {_slashWait.TotalSeconds:0} s ({fresh.Count} new evidence records); see the silo's log.");
            }
            await Task.Delay(500);
        }
    }

    private static Uri HttpUrl()
    {
        var url = Environment.GetEnvironmentVariable(OpenAiHttpClient.UrlVariable);
        return string.IsNullOrWhiteSpace(url) ? OpenAiHttpClient.DefaultUrl : new Uri(url);
    }
}
