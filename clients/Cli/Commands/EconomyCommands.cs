using System.CommandLine;
using System.Globalization;
using System.Numerics;
using OpenLedger.Cli.Chain;
using OpenLedger.Client;
using OpenLedger.Client.Chain;
using OpenLedger.Economy;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>
/// The OPEN economy from the command line: `openledger epoch close | list | resume`, `openledger earnings ACCOUNT`,
/// `openledger claim ACCOUNT` and `openledger attribution verify INFERENCE`.
/// </summary>
public static class EconomyCommands
{
    /// <summary>The `epoch` command group.</summary>
    public static Command Epoch()
    {
        var epoch = new Command("epoch", "Close fee epochs and put them on-chain: settle debits, post the Merkle root, anchor attribution records.");
        var close = new Command("close", "Close the open epoch and take it on-chain (resumes an unfinished one first).");
        close.Handle(async (_, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var summary = await grid.Economy.CloseEpochAsync();
            o.Show(summary, ShowEpoch);
            return 0;
        });
        var resume = new Command("resume", "Finish any epoch left on its way to the chain (after a crash).");
        resume.Handle(async (_, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var resumed = await grid.Economy.ResumeAsync();
            o.Show(resumed, list => AnsiConsole.MarkupLine(list.Count == 0 ? "Nothing to resume." : $"Resumed epochs {string.Join(", ", list.Select(e => e.EpochId))}."));
            return 0;
        });
        var list = new Command("list", "List the closed epochs.");
        list.Handle(async (_, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var epochs = await grid.Economy.EpochsAsync();
            o.Show(epochs, all =>
            {
                var table = Output.Table("epoch", "stage", "to recipients (OPEN)", "burned (OPEN)", "accounts", "inferences", "root");
                foreach (var e in all)
                {
                    table.AddRow(e.EpochId.ToString(CultureInfo.InvariantCulture), e.Stage.ToString(), Open(e.TotalWei), Open(e.BurnWei),
                        e.Accounts.ToString(CultureInfo.InvariantCulture), e.Inferences.ToString(CultureInfo.InvariantCulture), Output.Short(e.Root));
                }
                AnsiConsole.Write(table);
            });
            return 0;
        });
        epoch.Subcommands.Add(close);
        epoch.Subcommands.Add(resume);
        epoch.Subcommands.Add(list);
        return epoch;
    }

    /// <summary>`openledger agent deposit AMOUNT | balance` for the local agent (development account 2).</summary>
    public static Command Agent()
    {
        var agent = new Command("agent", "Agents: the local agent's deposit and stake, and any agent's keys, limits, spending and evidence.");
        var amount = new Argument<decimal>("amount") { Description = "OPEN to deposit (the local treasury sends it first when the agent holds less)." };
        var rpc = ChainEndpoint.RpcOption();
        var file = ChainEndpoint.FileOption("--file");
        var deposit = new Command("deposit", "Deposit OPEN for the local agent.") { amount, rpc, file };
        deposit.Handle(async (r, o) =>
        {
            var contracts = ChainEndpoint.LoadContracts(r.GetValue(file)!);
            var wei = OpenAmount(r.GetValue(amount));
            var balance = await Run(() => LocalAgentDepositAsync(r.GetValue(rpc)!, r.GetValue(file)!, contracts, wei), "deposit_failed");
            o.Show(new { agent = LocalAgent, deposited = Wei(wei), balance = Wei(balance) }, v =>
                AnsiConsole.MarkupLine($"[green]deposited[/] {Open(wei)} OPEN for {v.agent}; the vault holds {Open(balance)} OPEN for it."));
            return 0;
        });
        var balance = new Command("balance", "Show the local agent's deposit and what is spoken for.");
        balance.Handle(async (_, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var b = await grid.Cluster.GetGrain<IAgentAccountGrain>(LocalAgent).Balance();
            o.Show(b, v =>
            {
                var table = new Grid().AddColumn().AddColumn();
                table.AddRow("[bold]agent[/]", v.Agent);
                table.AddRow("deposit", $"{Open(v.DepositWei)} OPEN");
                table.AddRow("pending withdrawal", $"{Open(v.PendingWithdrawalWei)} OPEN");
                table.AddRow("charged, not yet settled", $"{Open(v.UnsettledWei)} OPEN");
                table.AddRow("held for calls in flight", $"{Open(v.ReservedWei)} OPEN");
                table.AddRow("[green]available[/]", $"{Open(v.AvailableWei)} OPEN");
                AnsiConsole.Write(table);
            });
            return 0;
        });
        agent.Subcommands.Add(deposit);
        agent.Subcommands.Add(balance);
        agent.Subcommands.Add(Stake());
        agent.Subcommands.Add(AgentCommands.Show());
        agent.Subcommands.Add(AgentCommands.Limits());
        return agent;
    }

    /// <summary>The local agent's address.</summary>
    public static string LocalAgent => DevelopmentMnemonic.Address(DevelopmentMnemonic.AgentIndex).ToLowerInvariant();

    /// <summary>Deposits <paramref name="wei"/> for the local agent, funded by the local treasury; returns the vault balance.</summary>
    public static Task<BigInteger> LocalAgentDepositAsync(string rpc, string recordFile, EconomyContracts contracts, BigInteger wei) =>
        AgentDeposits.DepositAsync(rpc, contracts, ContractArtifacts.Load(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(recordFile))!, "contracts")),
            DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.AgentIndex), wei, DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex));

    // `openledger agent stake AMOUNT`: the local agent's bond in AgentStaking.
    private static Command Stake()
    {
        var amount = new Argument<decimal>("amount") { Description = "OPEN to stake (the local treasury sends it first when the agent holds less)." };
        var rpc = ChainEndpoint.RpcOption();
        var file = ChainEndpoint.FileOption("--file");
        var stake = new Command("stake", "Stake OPEN for the local agent: an agent calls models only while its stake reaches the minimum.") { amount, rpc, file };
        stake.Handle(async (r, o) =>
        {
            var contracts = ChainEndpoint.LoadContracts(r.GetValue(file)!);
            var wei = OpenAmount(r.GetValue(amount));
            var staked = await Run(() => LocalAgentStakeAsync(r.GetValue(rpc)!, r.GetValue(file)!, contracts, wei), "stake_failed");
            o.Show(new { agent = LocalAgent, staked = Wei(wei), stake = Wei(staked) }, v =>
                AnsiConsole.MarkupLine($"[green]staked[/] {Open(wei)} OPEN for {v.agent}; its active stake is {Open(staked)} OPEN."));
            return 0;
        });
        return stake;
    }

    /// <summary>OPEN with at most six decimals, as wei; a CLI error for anything else.</summary>
    internal static BigInteger OpenAmount(decimal value) =>
        value <= 0 || decimal.Round(value, 6) != value
            ? throw new CliException("Give a positive amount of OPEN with at most six decimals.", "invalid_amount")
            : new BigInteger(value * 1_000_000m) * BigInteger.Pow(10, 12);

    /// <summary>Stakes <paramref name="wei"/> for the local agent, funded by the local treasury; returns its active stake.</summary>
    public static Task<BigInteger> LocalAgentStakeAsync(string rpc, string recordFile, EconomyContracts contracts, BigInteger wei) =>
        AgentDeposits.StakeAsync(rpc, contracts, ContractArtifacts.Load(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(recordFile))!, "contracts")),
            DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.AgentIndex), wei, DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex));

    /// <summary>`openledger earnings ACCOUNT`.</summary>
    public static Command Earnings()
    {
        var account = new Argument<string>("account") { Description = "The 0x address of a contributor, model developer or the treasury." };
        var rpc = ChainEndpoint.RpcOption();
        var file = ChainEndpoint.FileOption("--file");
        var command = new Command("earnings", "Show an account's OPEN earnings: accrued but not yet posted, posted, claimed and claimable.") { account, rpc, file };
        command.Handle(async (r, o) =>
        {
            var contracts = ChainEndpoint.LoadContracts(r.GetValue(file)!);
            await using var grid = await CommandRunner.ConnectAsync();
            var earnings = await grid.Economy.EarningsAsync(Address(r.GetValue(account)!), r.GetValue(rpc)!, contracts);
            o.Show(new { earnings.Account, unposted = Wei(earnings.Unposted), posted = Wei(earnings.Posted), claimed = Wei(earnings.Claimed), claimable = Wei(earnings.Claimable) }, _ =>
            {
                var grid2 = new Grid().AddColumn().AddColumn();
                grid2.AddRow("[bold]account[/]", earnings.Account);
                grid2.AddRow("accrued, not yet posted", $"{Open(earnings.Unposted)} OPEN");
                grid2.AddRow("posted (cumulative)", $"{Open(earnings.Posted)} OPEN");
                grid2.AddRow("claimed", $"{Open(earnings.Claimed)} OPEN");
                grid2.AddRow("[green]claimable now[/]", $"{Open(earnings.Claimable)} OPEN");
                AnsiConsole.Write(grid2);
            });
            return 0;
        });
        return command;
    }

    /// <summary>`openledger claim ACCOUNT`.</summary>
    public static Command Claim()
    {
        var account = new Argument<string>("account") { Description = "The 0x address to claim for; the OPEN always goes to it." };
        var rpc = ChainEndpoint.RpcOption();
        var file = ChainEndpoint.FileOption("--file");
        var senderKeyFile = new Option<string?>("--sender-key-file")
        {
            Description = "A file holding the key that pays the gas (anyone may send a claim). Default on the local chain: development account 0.",
        };
        var command = new Command("claim", "Claim everything posted for an account with the Merkle proof the grid serves.") { account, rpc, file, senderKeyFile };
        command.Handle(async (r, o) =>
        {
            var contracts = ChainEndpoint.LoadContracts(r.GetValue(file)!);
            var senderKey = r.GetValue(senderKeyFile) is { } path
                ? File.ReadAllText(path).Trim()
                : contracts.ChainId == 1337
                    ? DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex)
                    : throw new CliException("Name the key that pays the gas with --sender-key-file; only the local chain has a default.", "no_sender_key");
            await using var grid = await CommandRunner.ConnectAsync();
            var (paid, transaction) = await Run(() => grid.Economy.ClaimAsync(Address(r.GetValue(account)!), senderKey, r.GetValue(rpc)!, contracts), "nothing_to_claim");
            o.Show(new { account = r.GetValue(account), paid = Wei(paid), transaction }, v =>
                AnsiConsole.MarkupLine($"[green]claimed[/] {Open(paid)} OPEN for {Markup.Escape(v.account!)} (transaction {Output.Short(transaction)})"));
            return 0;
        });
        return command;
    }

    /// <summary>`openledger attribution verify INFERENCE`.</summary>
    public static Command Verify()
    {
        var inference = new Argument<string>("inference") { Description = "The inference id (inf-…) an answer came back with." };
        var rpc = ChainEndpoint.RpcOption();
        var file = ChainEndpoint.FileOption("--file");
        var command = new Command("verify", "Check an answer's attribution record against the root anchored on-chain for its epoch.") { inference, rpc, file };
        command.Handle(async (r, o) =>
        {
            var contracts = ChainEndpoint.LoadContracts(r.GetValue(file)!);
            await using var grid = await CommandRunner.ConnectAsync();
            var record = await grid.Attribution.GetAsync(r.GetValue(inference)!);
            var check = await grid.Economy.VerifyAsync(record, r.GetValue(rpc)!, contracts);
            o.Show(check, ShowVerification);
            return check.Verified ? 0 : 1;
        });
        return command;
    }

    /// <summary>Prints an epoch.</summary>
    public static void ShowEpoch(EpochSummary e)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]epoch[/]", $"{e.EpochId} ({e.Stage})");
        grid.AddRow("inferences", e.Inferences.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("agents debited", $"{Open(e.DebitedWei)} OPEN from {e.Agents} agents");
        grid.AddRow("to recipients", $"{Open(e.TotalWei)} OPEN ({e.Accounts} accounts in the cumulative tree)");
        grid.AddRow("burned", $"{Open(e.BurnWei)} OPEN");
        grid.AddRow("earnings root", e.Root);
        grid.AddRow("attribution batch root", e.AttributionRoot);
        grid.AddRow("manifest", $"{e.ManifestBlob} ({Output.Short(e.ManifestHash)})");
        foreach (var (step, hash) in e.Transactions)
        {
            grid.AddRow($"{step} transaction", hash);
        }
        AnsiConsole.Write(grid);
    }

    /// <summary>Prints a record's check against the chain.</summary>
    public static void ShowVerification(RecordVerification v)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]inference[/]", Markup.Escape(v.InferenceId));
        grid.AddRow("epoch", v.Epoch.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("record hash (recomputed)", v.RecordHash);
        grid.AddRow("batch root", v.Root);
        grid.AddRow("Merkle path", $"{v.ProofLength} hashes: {(v.InBatch ? "[green]reaches the root[/]" : "[red]does not reach the root[/]")}");
        grid.AddRow("registry", v.Anchored ? $"[green]root anchored[/] (transaction {Output.Short(v.AnchorTransaction ?? "-")})" : "[red]root not anchored[/]");
        AnsiConsole.Write(grid);
    }

    /// <summary>Wei as OPEN with up to six decimals.</summary>
    public static string Open(BigInteger wei) =>
        ((decimal)(wei / BigInteger.Pow(10, 12)) / 1_000_000m).ToString("0.######", CultureInfo.InvariantCulture);

    internal static string Open(string wei) => Open(BigInteger.Parse(wei, CultureInfo.InvariantCulture));

    private static string Wei(BigInteger wei) => wei.ToString(CultureInfo.InvariantCulture);

    internal static string Address(string text) =>
        Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(text)
            ? text.ToLowerInvariant()
            : throw new CliException($"'{text}' is not a 0x address (40 hex digits).", "invalid_address");

    private static async Task<T> Run<T>(Func<Task<T>> action, string code)
    {
        try
        {
            return await action();
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(e.Message, code);
        }
    }
}
