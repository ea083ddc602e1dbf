using System.Globalization;
using System.Numerics;
using OpenLedger.Attribution;
using OpenLedger.Client;
using OpenLedger.Client.Agents;
using OpenLedger.Client.OpenAi;
using OpenLedger.SampleAgent;

var (arguments, problem) = SampleAgentArguments.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine(SampleAgentArguments.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    await using var registered = await AgentClient.RegisterAsync(arguments.Url, arguments.PrivateKey, label: "sample-agent", cancellation: stop.Token);
    Console.WriteLine($"Registered key {registered.KeyId} for {registered.Address} at {registered.BaseAddress}");
    // The same key and calls over the cluster's gateway: admitted, limited and charged as over HTTP.
    await using var gateway = arguments.Gateway
        ? await AgentClient.ConnectGatewayAsync(GridClientOptions.FromEnvironment(), registered.ApiKey, arguments.PrivateKey, keyId: registered.KeyId,
            cancellation: stop.Token)
        : null;
    var agent = gateway ?? registered;
    if (gateway is not null)
    {
        Console.WriteLine("Calling through the Orleans gateway.");
    }

    var models = await agent.ListModelsAsync(stop.Token);
    Console.WriteLine("Models:");
    foreach (var model in models)
    {
        var price = model.PricePer1kTokensWei is { } wei ? $"{Open(wei)} OPEN per 1k tokens" : "no price";
        var kind = model.BaseModel is null ? "base model" : $"adapter on {model.BaseModel}, {model.Residency?.ToString().ToLowerInvariant() ?? "residency unknown"}";
        Console.WriteLine($"  {model.Id,-32} {kind}; {price}");
    }
    var adapter = models.FirstOrDefault(m => m.BaseModel is not null);
    if (adapter is null)
    {
        Console.Error.WriteLine("The grid serves no adapter yet: run `./openledger demo`, or deploy one with `openledger adapter deploy`, then try again.");
        return 1;
    }

    Console.Write($"\n{adapter.Id}> ");
    OpenAiCompletionChunk? last = null;
    await foreach (var chunk in agent.StreamChatAsync(adapter.Id, [new OpenAiChatMessage("user", "Summarise the last incident report.")],
        new OpenAiSampling(MaxTokens: 32), attributeSync: true, cancellation: stop.Token))
    {
        Console.Write(chunk.Text);
        last = chunk;
    }
    Console.WriteLine();
    if (last?.Usage is { } usage)
    {
        Console.WriteLine($"Tokens: {usage.PromptTokens} in, {usage.CompletionTokens} out");
    }

    var status = await agent.StatusAsync(cancellation: stop.Token);
    Console.WriteLine($"\nStake {Open(status.StakeWei)} OPEN (minimum {Open(status.MinimumStakeWei)}), deposit {Open(status.Usage.DepositWei)} OPEN, "
        + $"available {Open(status.Usage.AvailableWei)}, unsettled spend {Open(status.Usage.UnsettledWei)}");
    Console.WriteLine(status.Limits.EpochBudgetWei is { } budget
        ? $"Epoch budget {Open(budget)} OPEN: spent {Open(status.SpentThisEpochWei ?? 0)}, left {Open(status.Usage.BudgetLeftWei ?? 0)}"
        : "No epoch budget: spending is bounded by the deposit.");
    Console.WriteLine($"Limits: {status.Limits.RequestsPerSecond} requests/s, {status.Limits.TokensPerSecond} tokens/s, {status.Limits.Concurrency} at once; "
        + $"{status.Warnings} warnings, {status.Evidence.Count} pieces of evidence");

    if (last?.InferenceId is { } inference)
    {
        var attribution = last.Attribution ?? await agent.GetAttributionAsync(inference, stop.Token);
        PrintAttribution(attribution);
    }
    return 0;
}
catch (StakeTooLowException e)
{
    Console.Error.WriteLine($"The grid refused the agent: {e.Message}\nStake at least the minimum with `openledger agent stake 100`, then run the sample again.");
}
catch (DepositExhaustedException e)
{
    Console.Error.WriteLine($"The agent's deposit is used up: {e.Message}\nDeposit more OPEN in the fee vault, then run the sample again.");
}
catch (BudgetExceededException e)
{
    Console.Error.WriteLine($"The agent's budget for this epoch is spent: {e.Message}\nWait for the next epoch.");
}
catch (RateLimitedException e)
{
    Console.Error.WriteLine($"Still rate limited after retrying: {e.Message}\nTry again in {e.RetryAfter?.TotalSeconds ?? 1:0.#} s.");
}
catch (AgentKeyRejectedException e)
{
    Console.Error.WriteLine($"The grid refused the key ({e.Code}): {e.Message}\nCheck the machine's clock and the private key, then run the sample again.");
}
catch (AgentApiException e) when (e.Code == AgentErrors.EconomyNotConfigured)
{
    Console.Error.WriteLine($"{e.Message}\nStart the local stack with `./openledger up` (it deploys the economy) and a silo with `./openledger silo start`.");
}
catch (OpenAiApiException e)
{
    Console.Error.WriteLine($"The grid answered {e.Status} {e.Code ?? e.Type}: {e.Message}");
}
catch (HttpRequestException e)
{
    Console.Error.WriteLine($"Cannot reach the grid at {arguments.Url} ({e.Message}).\nStart it with `./openledger up` and `./openledger silo start`, or pass --url.");
}
catch (Orleans.Runtime.OrleansException e) when (arguments.Gateway)
{
    Console.Error.WriteLine($"Cannot reach the cluster's gateway ({e.Message}).\nCheck the OPENLEDGER_* variables (`./openledger` sets them) and that a silo is running.");
}
catch (TimeoutException e)
{
    Console.Error.WriteLine(e.Message);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped.");
}
return 1;

static void PrintAttribution(AttributionRecord record)
{
    Console.WriteLine($"\nAttribution of {record.InferenceId}: {record.Status}");
    foreach (var contributor in record.Contributors)
    {
        Console.WriteLine($"  {contributor.Contributor}  {contributor.PartsPerBillion / 1e7:0.00}%");
    }
    if (record.Contributors.Count == 0)
    {
        Console.WriteLine(record.Status == AttributionStatus.Pending
            ? "  still being computed; read it later by its inference id"
            : "  no contributors: the adapter was not trained on a Datanet here");
    }
}

// OPEN has 18 decimals, as ether does; four places are enough to read spend at a glance.
static string Open(BigInteger wei) =>
    ((decimal)(wei / BigInteger.Pow(10, 14)) / 10_000m).ToString("0.####", CultureInfo.InvariantCulture);
