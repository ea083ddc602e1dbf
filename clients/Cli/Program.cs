using System.CommandLine;
using OpenLedger.Cli.Commands;
using OpenLedger.Cli.Demo;

var root = new RootCommand("OpenLedger Grid: Datanets, models fine-tuned on them, and their provenance.");
root.Options.Add(CommandRunner.JsonOption);
root.Subcommands.Add(KeyCommands.Build());
root.Subcommands.Add(DatanetCommands.Build());
root.Subcommands.Add(ContributorCommands.Build());
root.Subcommands.Add(ModelCommands.Build());
root.Subcommands.Add(TrainCommands.Build());
root.Subcommands.Add(AdapterCommands.Build());
root.Subcommands.Add(InferCommand.Build());
root.Subcommands.Add(AttributionCommands.Build());
root.Subcommands.Add(ChainCommands.Build());
root.Subcommands.Add(GovernanceCommands.Build());
root.Subcommands.Add(DatanetDemo.Build());
return await root.Parse(args).InvokeAsync();
