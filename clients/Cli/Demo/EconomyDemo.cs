using System.Globalization;
using System.Numerics;
using OpenLedger.Cli.Chain;
using OpenLedger.Cli.Commands;
using OpenLedger.Client;
using OpenLedger.Client.Chain;
using Spectre.Console;

namespace OpenLedger.Cli.Demo;

/// <summary>
/// The demo's economy: the local agent deposits OPEN before it calls the trained model; afterwards the epoch closes
/// and goes on-chain (debits settled, root posted, burn burned, attribution records anchored), the top contributor
/// claims, and one answer's attribution record is checked against the chain.
/// </summary>
internal static class EconomyDemo
{
    private static readonly BigInteger _deposit = 100 * BigInteger.Pow(10, 18);
    private static readonly BigInteger _stake = 100 * BigInteger.Pow(10, 18);

    /// <summary>The local chain's JSON-RPC endpoint.</summary>
    internal static string Rpc => Environment.GetEnvironmentVariable("OPENLEDGER_CHAIN_RPC") ?? "http://127.0.0.1:8545";

    /// <summary>The deployment record of the economy's contracts.</summary>
    internal static string RecordFile => Environment.GetEnvironmentVariable("OPENLEDGER_CHAIN_FILE") ?? Path.Combine(".openledger", "chain.json");

    /// <summary>Tops the local agent's deposit up to 100 OPEN, so its calls to the trained model can be charged.</summary>
    public static async Task FundAgentAsync(Output o)
    {
        var contracts = ChainEndpoint.LoadContracts(RecordFile);
        var artifacts = ContractArtifacts.Load(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(RecordFile))!, "contracts"));
        var held = await AgentDeposits.BalanceAsync(Rpc, contracts, artifacts, EconomyCommands.LocalAgent);
        var balance = held >= _deposit ? held : await EconomyCommands.LocalAgentDepositAsync(Rpc, RecordFile, contracts, _deposit - held);
        // An agent calls models only while it keeps the minimum stake (100 OPEN by default) in AgentStaking.
        var staked = await AgentDeposits.StakeOfAsync(Rpc, contracts, artifacts, EconomyCommands.LocalAgent);
        if (staked < _stake)
        {
            staked = await EconomyCommands.LocalAgentStakeAsync(Rpc, RecordFile, contracts, _stake - staked);
        }
        if (!o.Json)
        {
            AnsiConsole.MarkupLine($"The agent behind the demo's API key ({EconomyCommands.LocalAgent}) stakes [green]{EconomyCommands.Open(staked)} OPEN[/] and holds [green]{EconomyCommands.Open(balance)} OPEN[/] in the fee vault; each call to the trained model holds its largest possible fee, then pays tokens × price.");
        }
    }

    /// <summary>Closes the epoch, claims for the top contributor, verifies one answer's record; returns the figures for --json.</summary>
    public static async Task<object> RunAsync(GridClient grid, IReadOnlyList<string> inferenceIds, IReadOnlyDictionary<string, string> names, int firstStep, Output o)
    {
        var narration = new DemoNarration(o, firstStep);
        var contracts = ChainEndpoint.LoadContracts(RecordFile);
        narration.Step("The epoch settles on-chain");
        var supplyBefore = await TotalSupplyAsync(contracts);
        var epoch = await grid.Economy.CloseEpochAsync();
        var supplyAfter = await TotalSupplyAsync(contracts);
        if (!o.Json)
        {
            EconomyCommands.ShowEpoch(epoch);
            AnsiConsole.MarkupLine($"OPEN total supply: {EconomyCommands.Open(supplyBefore)} → [green]{EconomyCommands.Open(supplyAfter)}[/] (the epoch's burn, {EconomyCommands.Open(supplyBefore - supplyAfter)} OPEN, is gone).");
        }
        if (supplyBefore - supplyAfter != BigInteger.Parse(epoch.BurnWei, CultureInfo.InvariantCulture) || epoch.Stage != OpenLedger.Economy.EpochStage.Anchored)
        {
            throw new CliException("The epoch did not land on-chain as the ledger closed it; see above.");
        }

        narration.Step("A contributor claims, and an answer's record is checked against the chain");
        var earners = new List<Earnings>();
        foreach (var address in names.Keys)
        {
            earners.Add(await grid.Economy.EarningsAsync(address, Rpc, contracts));
        }
        var top = earners.OrderByDescending(e => e.Claimable).First();
        if (top.Claimable <= 0)
        {
            throw new CliException("No contributor earned in the posted epoch; the trained model's answers were not charged.");
        }
        var (paid, transaction) = await grid.Economy.ClaimAsync(top.Account, DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex), Rpc, contracts);
        var after = await grid.Economy.EarningsAsync(top.Account, Rpc, contracts);
        var record = await grid.Attribution.GetAsync(inferenceIds[0]);
        var check = await grid.Economy.VerifyAsync(record, Rpc, contracts);
        if (!o.Json)
        {
            var table = Output.Table("contributor", "posted (OPEN)", "claimable (OPEN)");
            foreach (var e in earners.OrderByDescending(e => e.Posted))
            {
                table.AddRow(Markup.Escape(names[e.Account]), EconomyCommands.Open(e.Posted), EconomyCommands.Open(e.Claimable));
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[green]{Markup.Escape(names[top.Account])} claimed {EconomyCommands.Open(paid)} OPEN[/] (transaction {Output.Short(transaction)}); claimable now {EconomyCommands.Open(after.Claimable)}.");
            EconomyCommands.ShowVerification(check);
        }
        if (paid != top.Claimable || after.Claimable != 0 || !check.Verified)
        {
            throw new CliException("The claim or the record check did not come out as the ledger says; see above.");
        }
        return new { epoch, burned = (supplyBefore - supplyAfter).ToString(CultureInfo.InvariantCulture), claimed = new { account = top.Account, wei = paid.ToString(CultureInfo.InvariantCulture), transaction }, verified = check };
    }

    /// <summary>OPEN's total supply now.</summary>
    internal static Task<BigInteger> TotalSupplyAsync(EconomyContracts contracts) =>
        new Nethereum.Web3.Web3(Rpc).Eth.GetContract(OpenLedger.Economy.Chain.EconomyAbi.Token, contracts.Token)
            .GetFunction("totalSupply").CallAsync<BigInteger>();
}
