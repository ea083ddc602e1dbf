using System.CommandLine;
using System.Globalization;
using OpenLedger.Agents;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>
/// An operator's view of agents: `openledger agent show [ADDRESS]` (stake, keys, limits, spending, evidence and slash
/// outcomes) and `openledger agent limits ADDRESS` (set an agent's rates, concurrency and epoch budget).
/// </summary>
public static class AgentCommands
{
    /// <summary>`openledger agent show [ADDRESS]`.</summary>
    public static Command Show()
    {
        var address = new Argument<string?>("address") { Description = "The agent's 0x address (default: the local agent).", Arity = ArgumentArity.ZeroOrOne };
        var refresh = new Option<bool>("--refresh") { Description = "Read the stake from the chain again first." };
        var command = new Command("show", "Show an agent: stake, keys, limits, spending, warnings, and evidence with each slash's outcome.") { address, refresh };
        command.Handle(async (r, o) =>
        {
            var agent = r.GetValue(address) is { } a ? EconomyCommands.Address(a) : EconomyCommands.LocalAgent;
            await using var grid = await CommandRunner.ConnectAsync();
            var status = await grid.Cluster.GetGrain<IAgentGrain>(agent).Status(r.GetValue(refresh));
            o.Show(status, Print);
            return 0;
        });
        return command;
    }

    /// <summary>`openledger agent limits ADDRESS [--rps N] [--tps N] [--concurrency N] [--budget OPEN]`.</summary>
    public static Command Limits()
    {
        var address = new Argument<string>("address") { Description = "The agent's 0x address." };
        var rps = new Option<double?>("--rps") { Description = "Requests per second." };
        var tps = new Option<double?>("--tps") { Description = "Prompt and completion tokens per second." };
        var concurrency = new Option<int?>("--concurrency") { Description = "Inferences in flight at once." };
        var budget = new Option<decimal?>("--budget") { Description = "OPEN the agent may spend per settlement epoch." };
        var command = new Command("limits", "Set an agent's limits; a limit left out goes back to the grid's default.") { address, rps, tps, concurrency, budget };
        command.Handle(async (r, o) =>
        {
            var agent = EconomyCommands.Address(r.GetValue(address)!);
            var budgetWei = r.GetValue(budget) is { } open ? EconomyCommands.OpenAmount(open).ToString(CultureInfo.InvariantCulture) : null;
            await using var grid = await CommandRunner.ConnectAsync();
            var limits = new AgentLimits(r.GetValue(rps), r.GetValue(tps), r.GetValue(concurrency), budgetWei);
            try
            {
                await grid.Cluster.GetGrain<IAgentGrain>(agent).SetLimits(limits);
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message, "invalid_limits");
            }
            var status = await grid.Cluster.GetGrain<IAgentGrain>(agent).Status(false);
            o.Show(status, Print);
            return 0;
        });
        return command;
    }

    private static void Print(AgentStatus s)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]agent[/]", s.Address);
        grid.AddRow("stake", $"{EconomyCommands.Open(s.StakeWei)} OPEN (minimum {EconomyCommands.Open(s.MinimumStakeWei)}): {(s.Eligible ? "[green]eligible[/]" : "[red]not eligible[/]")}");
        grid.AddRow("limits", $"{s.Limits.RequestsPerSecond} requests/s, {s.Limits.TokensPerSecond} tokens/s, {s.Limits.Concurrency} at once, " +
            (s.Limits.EpochBudgetWei is { } b ? $"budget {EconomyCommands.Open(b)} OPEN per epoch" : "no epoch budget"));
        grid.AddRow("spending", $"{s.Usage.InFlight} in flight; deposit {EconomyCommands.Open(s.Usage.DepositWei)}, available {EconomyCommands.Open(s.Usage.AvailableWei)}, " +
            $"charged not settled {EconomyCommands.Open(s.Usage.UnsettledWei)}, held {EconomyCommands.Open(s.Usage.ReservedWei)} OPEN" +
            (s.Usage.BudgetLeftWei is { } left ? $"; budget left {EconomyCommands.Open(left)}" : ""));
        grid.AddRow("warnings", s.Warnings.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(grid);
        if (s.Keys.Count > 0)
        {
            var keys = Output.Table("key", "label", "created", "revoked");
            foreach (var k in s.Keys)
            {
                keys.AddRow(k.KeyId, Markup.Escape(k.Label ?? ""), k.CreatedAt.ToString("u", CultureInfo.InvariantCulture), k.RevokedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "");
            }
            AnsiConsole.Write(keys);
        }
        if (s.Evidence.Count > 0)
        {
            var evidence = Output.Table("evidence", "kind", "seen", "slash", "to challenger", "burned", "transaction");
            foreach (var e in s.Evidence)
            {
                evidence.AddRow(Output.Short(e.Hash), e.Kind.ToString(), e.ObservedAt.ToString("u", CultureInfo.InvariantCulture),
                    e.Slash is { } x ? $"{x.Stage} {EconomyCommands.Open(x.AmountWei)} OPEN" + (x.Problem is { } p ? $" ({Markup.Escape(p)})" : "") : "",
                    e.Slash?.ToChallengerWei is { } c ? EconomyCommands.Open(c) : "", e.Slash?.BurnedWei is { } burned ? EconomyCommands.Open(burned) : "",
                    e.Slash?.Transaction is { } t ? Output.Short(t) : "");
            }
            AnsiConsole.Write(evidence);
        }
    }
}
