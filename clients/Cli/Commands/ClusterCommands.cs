using System.CommandLine;
using System.Globalization;
using OpenLedger.Client.Cluster;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>`openledger cluster members [--all]`: the grid's silos as operators scale it (`openledger adapter list` shows where adapters are placed).</summary>
public static class ClusterCommands
{
    /// <summary>The `cluster` command group.</summary>
    public static Command Build()
    {
        var cluster = new Command("cluster", "The silos of the grid: membership and roles.");
        cluster.Subcommands.Add(Members());
        return cluster;
    }

    private static Command Members()
    {
        var all = new Option<bool>("--all") { Description = "Include silos that have left or died (kept in the membership table for a while)." };
        var command = new Command("members", "List the silos: status, gateway, roles and uptime.") { all };
        command.Handle(async (r, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var members = await grid.Membership.ListAsync(includeDead: r.GetValue(all));
            o.Show(members, list =>
            {
                var table = Output.Table("silo", "status", "gateway", "roles", "up since (UTC)");
                foreach (var m in list)
                {
                    var status = m.IsActive ? "[green]active[/]" : m.Status == "Dead" ? "[red]dead[/]" : $"[yellow]{Markup.Escape(m.Status.ToLowerInvariant())}[/]";
                    table.AddRow(Markup.Escape(m.Address), status, m.GatewayPort == 0 ? "-" : m.GatewayPort.ToString(CultureInfo.InvariantCulture),
                        m.Roles.Count == 0 ? "-" : string.Join(", ", m.Roles).ToLowerInvariant(), m.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                }
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{list.Count(m => m.IsActive)} active of {list.Count} listed."));
            });
            return 0;
        });
        return command;
    }
}
