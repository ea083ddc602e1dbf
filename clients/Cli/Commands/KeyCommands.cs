using System.CommandLine;
using OpenLedger.Cli.Keys;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>`openledger key new | list | show`.</summary>
public static class KeyCommands
{
    /// <summary>The `key` command group.</summary>
    public static Command Build()
    {
        var key = new Command("key", "Manage signing keys in the local encrypted keystore.");
        var name = new Argument<string>("name") { Description = "The key's name." };

        var create = new Command("new", "Create a new key (password from OPENLEDGER_KEY_PASSWORD or a prompt).") { name };
        create.Handle((r, o) =>
        {
            var created = new Keystore().Create(r.GetValue(name)!);
            o.Show(new { name = r.GetValue(name), address = created.Address }, v => AnsiConsole.MarkupLine($"Created key [bold]{v.name}[/] {v.address}"));
            return Task.FromResult(0);
        });

        var list = new Command("list", "List stored keys and their addresses.");
        list.Handle((_, o) =>
        {
            var store = new Keystore();
            var keys = store.List().Select(k => new { name = k.Name, address = store.AddressOf(k.Name) }).ToList();
            o.Show(keys, v =>
            {
                var table = Output.Table("name", "address");
                v.ForEach(k => table.AddRow(k.name, k.address));
                AnsiConsole.Write(table);
            });
            return Task.FromResult(0);
        });

        var show = new Command("show", "Show a key's address.") { name };
        show.Handle((r, o) =>
        {
            var address = new Keystore().AddressOf(r.GetValue(name)!);
            o.Show(new { name = r.GetValue(name), address }, v => AnsiConsole.WriteLine(v.address));
            return Task.FromResult(0);
        });

        key.Subcommands.Add(create);
        key.Subcommands.Add(list);
        key.Subcommands.Add(show);
        return key;
    }
}
