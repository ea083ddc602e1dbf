using System.CommandLine;
using OpenLedger.Cli.Keys;
using OpenLedger.Contributors;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>`openledger contributor show`.</summary>
public static class ContributorCommands
{
    /// <summary>The `contributor` command group.</summary>
    public static Command Build()
    {
        var who = new Argument<string>("contributor") { Description = "An address, or the name of a key in the keystore." };
        var show = new Command("show", "A contributor's profile: contributions per Datanet and reputation.") { who };
        show.Handle(async (r, o) =>
        {
            var input = r.GetValue(who)!;
            var address = Datanets.EthereumAddress.TryNormalize(input) ?? new Keystore().AddressOf(input);
            await using var grid = await CommandRunner.ConnectAsync();
            var profile = await grid.Cluster.GetGrain<IContributorGrain>(address).GetProfile();
            o.Show(profile, Render);
            return 0;
        });
        var contributor = new Command("contributor", "Contributor profiles and reputation.");
        contributor.Subcommands.Add(show);
        return contributor;
    }

    /// <summary>Renders a profile as a table per Datanet.</summary>
    public static void Render(ContributorProfile profile)
    {
        AnsiConsole.MarkupLine($"[bold]{profile.Address}[/]: {profile.Reputation.Submitted} submitted, {profile.Reputation.Accepted} accepted, {profile.Reputation.Rejected} rejected");
        var table = Output.Table("datanet", "submitted", "accepted", "rejected", "bytes");
        foreach (var d in profile.Datanets)
        {
            table.AddRow(d.DatanetId, $"{d.Submitted}", $"{d.Accepted}", $"{d.Rejected}", $"{d.Bytes}");
        }
        AnsiConsole.Write(table);
    }
}
