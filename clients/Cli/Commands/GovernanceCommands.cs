using System.CommandLine;
using System.Globalization;
using OpenLedger.Cli.Chain;
using OpenLedger.Client.Chain;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>
/// `openledger gov list | show | power | wrap | delegate | propose fee-split | vote | execute | veto`: governance of the
/// OPEN economy recorded in chain.json. Votes are gOPEN (OPEN wrapped 1:1) delegated to an account; proposing takes
/// 100 gOPEN of votes, passing takes votes for plus abstain of 25% of the OPEN supply and more for than against.
/// </summary>
public static class GovernanceCommands
{
    /// <summary>The `gov` command group.</summary>
    public static Command Build()
    {
        var gov = new Command("gov", "Govern the OPEN economy: wrap OPEN into votes, propose fee split changes, vote, execute.");
        gov.Subcommands.Add(List());
        gov.Subcommands.Add(Show());
        gov.Subcommands.Add(Power());
        gov.Subcommands.Add(Wrap());
        gov.Subcommands.Add(DelegateVotes());
        gov.Subcommands.Add(Propose());
        gov.Subcommands.Add(Vote());
        gov.Subcommands.Add(Execute());
        gov.Subcommands.Add(Veto());
        return gov;
    }

    private static Argument<string> ProposalArgument() =>
        new("proposal") { Description = "The proposal's number (as `gov list` shows it) or its id." };

    private static Command List()
    {
        var chain = new ChainConnection(signs: false);
        var command = new Command("list", "List the governor's proposals, oldest first, with their state and tally.");
        chain.AddTo(command);
        command.Handle(async (r, o) =>
        {
            var proposals = await ChainEndpoint.Guarded(() => chain.Open(r).ListProposalsAsync());
            o.Show(proposals, v =>
            {
                if (v.Count == 0)
                {
                    AnsiConsole.MarkupLine("No proposals yet: `openledger gov propose fee-split ...` makes one.");
                    return;
                }
                var table = Output.Table("#", "state", "change", "for", "against", "abstain", "quorum", "description");
                foreach (var p in v)
                {
                    table.AddRow(p.Number?.ToString(CultureInfo.InvariantCulture) ?? "", StateMarkup(p.State), Markup.Escape(Change(p)),
                        EconomyUnits.Open(p.ForVotes), EconomyUnits.Open(p.AgainstVotes), EconomyUnits.Open(p.AbstainVotes),
                        (p.QuorumReached ? "[green]reached[/]" : "not reached") + $" ({EconomyUnits.Open(p.Quorum)})", Markup.Escape(p.Description ?? ""));
                }
                AnsiConsole.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var chain = new ChainConnection(signs: false);
        var proposal = ProposalArgument();
        var command = new Command("show", "Show one proposal: what it changes, its tally against the quorum, its voting window and Timelock ETA.") { proposal };
        chain.AddTo(command);
        command.Handle(async (r, o) =>
        {
            var shown = await ChainEndpoint.Guarded(async () =>
            {
                var client = chain.Open(r);
                return await client.GetProposalAsync(await client.ResolveAsync(r.GetValue(proposal)!));
            });
            o.Show(shown, ShowProposal);
            return 0;
        });
        return command;
    }

    private static Command Power()
    {
        var chain = new ChainConnection(signs: false);
        var account = new Argument<string?>("account") { Description = "The account (default: the signer given by --key or --dev-account).", Arity = ArgumentArity.ZeroOrOne };
        var signer = new ChainSigner();
        var command = new Command("power", "Show an account's OPEN, wrapped gOPEN, delegate and the votes delegated to it.") { account };
        chain.AddTo(command);
        signer.AddTo(command);
        command.Handle(async (r, o) =>
        {
            var power = await ChainEndpoint.Guarded(() =>
            {
                var who = r.GetValue(account) ?? signer.Address(r, chain.Contracts(r));
                return chain.Open(r).GetVotingPowerAsync(who);
            });
            o.Show(power, ShowPower);
            return 0;
        });
        return command;
    }

    private static Command Wrap()
    {
        var chain = new ChainConnection(signs: true);
        var amount = new Argument<string>("amount") { Description = "OPEN to wrap into gOPEN, in whole tokens or a decimal (300000000, 0.5)." };
        var delegatee = new Option<string?>("--delegate") { Description = "Delegate the votes to this address (default: yourself, if you have not delegated yet)." };
        var command = new Command("wrap", "Wrap the signer's OPEN into gOPEN 1:1 and delegate its votes (undelegated gOPEN does not vote).") { amount, delegatee };
        chain.AddTo(command);
        command.Handle(async (r, o) =>
        {
            var wei = EconomyUnits.ParseOpen(r.GetValue(amount)!);
            var power = await ChainEndpoint.Guarded(() => chain.Open(r).WrapAsync(wei, r.GetValue(delegatee)));
            o.Show(power, v =>
            {
                AnsiConsole.MarkupLine($"[green]wrapped[/] {EconomyUnits.Open(wei)} OPEN into gOPEN.");
                ShowPower(v);
            });
            return 0;
        });
        return command;
    }

    private static Command DelegateVotes()
    {
        var chain = new ChainConnection(signs: true);
        var delegatee = new Argument<string>("address") { Description = "Whom the signer's gOPEN votes go to (its own address to vote them itself)." };
        var command = new Command("delegate", "Delegate the signer's gOPEN votes; they count for proposals made from the next second on.") { delegatee };
        chain.AddTo(command);
        command.Handle(async (r, o) =>
        {
            var power = await ChainEndpoint.Guarded(() => chain.Open(r).DelegateAsync(r.GetValue(delegatee)!));
            o.Show(power, ShowPower);
            return 0;
        });
        return command;
    }

    private static Command Propose()
    {
        var propose = new Command("propose", "Propose a change for gOPEN holders to vote on; the Timelock makes it if it passes.");
        var chain = new ChainConnection(signs: true);
        var burn = new Option<int>("--burn") { Required = true, Description = "Basis points of each fee burned (500 = 5%)." };
        var protocol = new Option<int>("--protocol") { Required = true, Description = "Basis points to the protocol treasury." };
        var developer = new Option<int>("--developer") { Required = true, Description = "Basis points to the model's developer." };
        var data = new Option<int>("--data") { Required = true, Description = "Basis points to the data contributors, by attribution." };
        var description = new Option<string>("--description") { Required = true, Description = "What the change is and why; voters read it." };
        var feeSplit = new Command("fee-split",
            "Propose a new fee split; the four shares must add up to 10000 basis points. Needs 100 gOPEN of votes delegated to the signer.")
        { burn, protocol, developer, data, description };
        chain.AddTo(feeSplit);
        feeSplit.Handle(async (r, o) =>
        {
            var split = new FeeSplitChange(r.GetValue(burn), r.GetValue(protocol), r.GetValue(developer), r.GetValue(data));
            var receipt = await ChainEndpoint.Guarded(() => chain.Open(r).ProposeFeeSplitAsync(split, r.GetValue(description)!));
            o.Show(receipt, v =>
            {
                AnsiConsole.MarkupLine($"[green]proposed[/] #{v.Proposal.Number} (transaction {v.TransactionHash}).");
                ShowProposal(v.Proposal);
            });
            return 0;
        });
        propose.Subcommands.Add(feeSplit);
        return propose;
    }

    private static Command Vote()
    {
        var chain = new ChainConnection(signs: true);
        var proposal = ProposalArgument();
        var choice = new Argument<string>("choice") { Description = "for, against or abstain (abstaining counts toward the quorum only)." };
        var reason = new Option<string?>("--reason") { Description = "A reason, recorded on chain with the vote." };
        var command = new Command("vote", "Vote on a proposal with the gOPEN votes delegated to the signer at its snapshot.") { proposal, choice, reason };
        chain.AddTo(command);
        command.Handle(async (r, o) =>
        {
            var support = r.GetValue(choice)!.Trim().ToLowerInvariant() switch
            {
                "for" or "yes" => VoteSupport.For,
                "against" or "no" => VoteSupport.Against,
                "abstain" => VoteSupport.Abstain,
                var other => throw new CliException($"'{other}' is not a vote: say for, against or abstain.", "invalid_vote"),
            };
            var receipt = await ChainEndpoint.Guarded(async () =>
            {
                var client = chain.Open(r);
                return await client.VoteAsync(await client.ResolveAsync(r.GetValue(proposal)!), support, r.GetValue(reason));
            });
            o.Show(receipt, v =>
            {
                AnsiConsole.MarkupLine($"[green]voted[/] {v.Support.ToString().ToLowerInvariant()} on #{v.Proposal.Number} with {EconomyUnits.Open(v.Weight)} gOPEN (transaction {v.TransactionHash}).");
                ShowProposal(v.Proposal);
            });
            return 0;
        });
        return command;
    }

    private static Command Execute()
    {
        var chain = new ChainConnection(signs: true);
        var proposal = ProposalArgument();
        var command = new Command("execute",
            "Move a passed proposal on: queue it in the Timelock when voting has passed it, execute it once the Timelock's delay is over. Anyone may.") { proposal };
        chain.AddTo(command);
        command.Handle(async (r, o) =>
        {
            var (step, receipt) = await ChainEndpoint.Guarded(async () =>
            {
                var client = chain.Open(r);
                var id = await client.ResolveAsync(r.GetValue(proposal)!);
                return (await client.GetProposalAsync(id)).State == ProposalState.Succeeded
                    ? ("queued", await client.QueueAsync(id))
                    : ("executed", await client.ExecuteAsync(id));
            });
            o.Show(new { step, receipt.TransactionHash, receipt.GasUsed, receipt.Proposal }, v =>
            {
                AnsiConsole.MarkupLine(v.step == "queued"
                    ? $"[green]queued[/] #{v.Proposal.Number} in the Timelock; run `openledger gov execute {v.Proposal.Number}` after {Time(v.Proposal.Eta)}."
                    : $"[green]executed[/] #{v.Proposal.Number}: the Timelock made its calls (transaction {v.TransactionHash}).");
                ShowProposal(v.Proposal);
            });
            return 0;
        });
        return command;
    }

    private static Command Veto()
    {
        var chain = new ChainConnection(signs: true);
        var proposal = ProposalArgument();
        var command = new Command("veto", "As the guardian (the Timelock's canceller), cancel a queued proposal so it never executes.") { proposal };
        chain.AddTo(command);
        command.Handle(async (r, o) =>
        {
            var receipt = await ChainEndpoint.Guarded(async () =>
            {
                var client = chain.Open(r);
                return await client.VetoAsync(await client.ResolveAsync(r.GetValue(proposal)!));
            });
            o.Show(receipt, v =>
            {
                AnsiConsole.MarkupLine($"[yellow]vetoed[/] #{v.Proposal.Number}: cancelled in the Timelock (transaction {v.TransactionHash}).");
                ShowProposal(v.Proposal);
            });
            return 0;
        });
        return command;
    }

    private static void ShowProposal(GovernanceProposal p)
    {
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("proposal", $"#{p.Number} [grey]{p.Id}[/]");
        facts.AddRow("state", StateMarkup(p.State));
        facts.AddRow("change", Markup.Escape(Change(p)));
        facts.AddRow("description", Markup.Escape(p.Description ?? "(not available from this node)"));
        facts.AddRow("proposer", p.Proposer);
        facts.AddRow("votes", $"for {EconomyUnits.Open(p.ForVotes)}, against {EconomyUnits.Open(p.AgainstVotes)}, abstain {EconomyUnits.Open(p.AbstainVotes)} gOPEN");
        facts.AddRow("quorum", $"{EconomyUnits.Open(p.Quorum)} for or abstaining: {(p.QuorumReached ? "[green]reached[/]" : "not reached")}");
        facts.AddRow("voting", $"{Time(p.VoteStart)} to {Time(p.VoteEnd)}");
        if (p.Eta > 0)
        {
            facts.AddRow("executable after", Time(p.Eta));
        }
        AnsiConsole.Write(facts);
    }

    private static void ShowPower(VotingPower v)
    {
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("account", v.Account);
        facts.AddRow("OPEN", EconomyUnits.Open(v.Open));
        facts.AddRow("gOPEN", EconomyUnits.Open(v.Wrapped));
        facts.AddRow("delegates to", v.Delegate ?? "nobody yet: its gOPEN does not vote");
        facts.AddRow("votes", $"{EconomyUnits.Open(v.Votes)} gOPEN delegated to it");
        AnsiConsole.Write(facts);
    }

    private static string Change(GovernanceProposal p) => p.FeeSplit is { } s
        ? $"fee split: burn {EconomyUnits.Percent(s.BurnBps)}, protocol {EconomyUnits.Percent(s.ProtocolBps)}, " +
          $"model developer {EconomyUnits.Percent(s.ModelDeveloperBps)}, data contributors {EconomyUnits.Percent(s.DataContributorsBps)}"
        : string.Create(CultureInfo.InvariantCulture, $"{p.Actions.Count} call(s): {string.Join(", ", p.Actions.Select(a => a.Target))}");

    private static string StateMarkup(ProposalState state) => state switch
    {
        ProposalState.Active => "[blue]active[/]",
        ProposalState.Succeeded or ProposalState.Queued or ProposalState.Executed => $"[green]{state.ToString().ToLowerInvariant()}[/]",
        ProposalState.Defeated or ProposalState.Canceled or ProposalState.Expired => $"[red]{state.ToString().ToLowerInvariant()}[/]",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Time(ulong unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)unixSeconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>One command's chain options (--rpc, --file, --artifacts and, for a command that signs, the signer) and its client.</summary>
    private sealed class ChainConnection(bool signs)
    {
        private readonly Option<string> _rpc = ChainEndpoint.RpcOption();
        private readonly Option<string> _file = ChainEndpoint.FileOption("--file");
        private readonly Option<string?> _artifacts = ChainEndpoint.ArtifactsOption();
        private readonly ChainSigner _signer = new();

        public void AddTo(Command command)
        {
            command.Options.Add(_rpc);
            command.Options.Add(_file);
            command.Options.Add(_artifacts);
            if (signs)
            {
                _signer.AddTo(command);
            }
        }

        public EconomyContracts Contracts(ParseResult result) => ChainEndpoint.LoadContracts(result.GetValue(_file)!);

        public ContractArtifacts Artifacts(ParseResult result) =>
            ContractArtifacts.Load(ChainEndpoint.ArtifactsFolder(result.GetValue(_artifacts), result.GetValue(_file)!));

        public GovernanceClient Open(ParseResult result)
        {
            var contracts = Contracts(result);
            return new GovernanceClient(result.GetValue(_rpc)!, contracts, Artifacts(result), signs ? _signer.PrivateKey(result, contracts) : null);
        }
    }
}
