using System.CommandLine;
using OpenLedger.Cli.Keys;
using OpenLedger.Client.Export;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Snapshots;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>`openledger datanet create | list | show | contribute | curate | snapshot | proof | export`.</summary>
public static class DatanetCommands
{
    private static readonly Argument<string> _id = new("datanet") { Description = "The Datanet's id." };
    private static readonly Option<string> _key = new("--key") { Description = "Name of the signing key in the keystore.", Required = true };

    /// <summary>The `datanet` command group.</summary>
    public static Command Build()
    {
        var datanet = new Command("datanet", "Create Datanets, contribute signed data, curate and snapshot.");
        datanet.Subcommands.Add(Create());
        datanet.Subcommands.Add(List());
        datanet.Subcommands.Add(Show());
        datanet.Subcommands.Add(Contribute());
        datanet.Subcommands.Add(Curate());
        datanet.Subcommands.Add(Snapshot());
        datanet.Subcommands.Add(Proof());
        datanet.Subcommands.Add(Export());
        return datanet;
    }

    private static Command Create()
    {
        var name = new Option<string>("--name") { Required = true, Description = "Display name." };
        var domain = new Option<string>("--domain") { Required = true, Description = "Subject area, e.g. cybersecurity." };
        var description = new Option<string>("--description") { DefaultValueFactory = _ => "", Description = "What the data is for." };
        var licence = new Option<string>("--licence") { Required = true, Description = "Licence contributions are made under, e.g. CC-BY-4.0." };
        var fields = new Option<string[]>("--field") { Required = true, Description = "A record field: name:type[?][:maxLength]. Repeat per field." };
        var curators = new Option<string[]>("--curator") { Description = "Curator address or key name. Repeat per curator; none means open curation." };
        var command = new Command("create", "Create a Datanet owned by --key.") { _id, name, domain, description, licence, fields, curators, _key };
        command.Handle(async (r, o) =>
        {
            var store = new Keystore();
            var curatorAddresses = (r.GetValue(curators) ?? []).Select(c => c.StartsWith("0x", StringComparison.Ordinal) ? c : store.AddressOf(c)).ToArray();
            var spec = new DatanetSpec(r.GetValue(name)!, r.GetValue(domain)!, r.GetValue(description)!, r.GetValue(licence)!,
                new RecordSchema(r.GetValue(fields)!.Select(FieldSpecParser.Parse).ToList()),
                curatorAddresses.Length == 0 ? CurationPolicy.Open : CurationPolicy.CuratedBy(curatorAddresses));
            await using var grid = await CommandRunner.ConnectAsync();
            var info = await grid.Datanets.CreateAsync(r.GetValue(_id)!, store.AddressOf(r.GetValue(_key)!), spec);
            o.Show(info, ShowInfo);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List all Datanets.");
        command.Handle(async (_, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            o.Show(await grid.Datanets.ListAsync(), list =>
            {
                var table = Output.Table("id", "name", "domain", "owner", "created");
                foreach (var d in list)
                {
                    table.AddRow(d.Id, Markup.Escape(d.Name), d.Domain, d.Owner, d.CreatedAt.ToString("u"));
                }
                AnsiConsole.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var status = new Option<ContributionStatus?>("--status") { Description = "Only contributions in this status." };
        var command = new Command("show", "Show a Datanet and its contributions.") { _id, status };
        command.Handle(async (r, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var info = await grid.Datanets.GetAsync(r.GetValue(_id)!);
            var contributions = await grid.Datanets.ListContributionsAsync(info.Id, r.GetValue(status));
            o.Show(new { datanet = info, contributions }, v =>
            {
                ShowInfo(v.datanet);
                AnsiConsole.Write(ContributionTable(v.contributions));
            });
            return 0;
        });
        return command;
    }

    private static Command Contribute()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "JSON Lines files, one contribution each.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("contribute", "Sign and send files as contributions.") { _id, files, _key };
        command.Handle(async (r, o) =>
        {
            var key = new Keystore().Open(r.GetValue(_key)!);
            var id = r.GetValue(_id)!;
            var inputs = r.GetValue(files)!;
            foreach (var file in inputs.Where(f => !f.Exists))
            {
                throw new CliException($"No such file: {file.FullName}");
            }
            await using var grid = await CommandRunner.ConnectAsync();
            var licence = (await grid.Datanets.GetAsync(id)).Spec.Licence;
            var receipts = new List<ContributionReceipt>();
            var failures = new List<(string File, Errors.OpenLedgerException Error)>();
            async Task Send(Action<long>? advance)
            {
                foreach (var file in inputs)
                {
                    var payload = await File.ReadAllBytesAsync(file.FullName);
                    try
                    {
                        receipts.Add(await grid.Datanets.ContributeAsync(key, id, payload, licence));
                    }
                    catch (Errors.OpenLedgerException e)
                    {
                        failures.Add((file.Name, e));
                    }
                    advance?.Invoke(payload.Length);
                }
            }
            if (o.Json || Console.IsOutputRedirected)
            {
                await Send(null);
            }
            else
            {
                await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"contributing {inputs.Length} file(s)", maxValue: Math.Max(1, inputs.Sum(f => f.Length)));
                        await Send(bytes => task.Increment(bytes));
                    });
            }
            o.Show(new { accepted = receipts.Select(x => x.Record), refused = failures.Select(f => new { file = f.File, code = f.Error.Code, message = f.Error.Message }) }, _ =>
            {
                AnsiConsole.Write(ContributionTable(receipts.Select(x => x.Record).ToList()));
                foreach (var (file, error) in failures)
                {
                    o.Error(error.Code, $"{file}: {error.Message}");
                }
            });
            return failures.Count == 0 ? 0 : 2;
        });
        return command;
    }

    private static Command Curate()
    {
        var contribution = new Argument<string>("contribution") { Description = "Contribution id, or enough of its first hex digits." };
        var approve = new Option<bool>("--approve") { Description = "Approve it." };
        var reject = new Option<bool>("--reject") { Description = "Reject it (needs --reason)." };
        var reason = new Option<string>("--reason") { DefaultValueFactory = _ => "", Description = "Why; shown to the contributor." };
        var command = new Command("curate", "Approve or reject a pending contribution, signed by a curator key.") { _id, contribution, approve, reject, reason, _key };
        command.Handle(async (r, o) =>
        {
            if (r.GetValue(approve) == r.GetValue(reject))
            {
                throw new CliException("Give exactly one of --approve and --reject.");
            }
            var key = new Keystore().Open(r.GetValue(_key)!);
            await using var grid = await CommandRunner.ConnectAsync();
            var id = r.GetValue(_id)!;
            var full = await grid.Datanets.ResolveContributionIdAsync(id, r.GetValue(contribution)!);
            var decided = await grid.Datanets.CurateAsync(key, id, full, r.GetValue(approve), r.GetValue(reason)!);
            o.Show(decided, d => AnsiConsole.Write(ContributionTable([d])));
            return 0;
        });
        return command;
    }

    private static Command Snapshot()
    {
        var command = new Command("snapshot", "Freeze the approved contributions into a snapshot with a Merkle root.") { _id };
        command.Handle(async (r, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var info = await grid.Datanets.SnapshotAsync(r.GetValue(_id)!);
            o.Show(info, s => AnsiConsole.MarkupLine(
                $"Snapshot [bold]{s.Number}[/]: {s.ContributionCount} contributions, {s.Records} records, root [green]{s.Root}[/]"));
            return 0;
        });
        return command;
    }

    private static Command Proof()
    {
        var snapshot = new Argument<int>("snapshot") { Description = "Snapshot number." };
        var contribution = new Argument<string>("contribution") { Description = "Contribution id or prefix." };
        var command = new Command("proof", "Print and check the Merkle proof of a contribution in a snapshot.") { _id, snapshot, contribution };
        command.Handle(async (r, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var id = r.GetValue(_id)!;
            var full = await grid.Datanets.ResolveContributionIdAsync(id, r.GetValue(contribution)!);
            var proof = await grid.Datanets.GetProofAsync(id, r.GetValue(snapshot), full);
            var leaf = SnapshotLeaf.Hash(Hex.Decode(proof.Member.PayloadHash), proof.Member.Contributor, proof.Member.SizeBytes, proof.Member.RecordCount);
            var valid = Hex.Encode(leaf) == proof.Leaf && MerkleTree.Verify(Hex.Decode(proof.Root), leaf, proof.Proof.Select(Hex.Decode));
            o.Show(new { proof, verified = valid }, v =>
            {
                AnsiConsole.MarkupLine($"root  {v.proof.Root}\nleaf  {v.proof.Leaf}");
                v.proof.Proof.ToList().ForEach(p => AnsiConsole.WriteLine($"  +  {p}"));
                AnsiConsole.MarkupLine(v.verified ? "[green]verified locally[/]" : "[red]does NOT verify[/]");
            });
            return valid ? 0 : 1;
        });
        return command;
    }

    private static Command Export()
    {
        var output = new Option<FileInfo>("--out") { Required = true, Description = "The Arrow IPC file to write." };
        var snapshot = new Option<int?>("--snapshot") { Description = "Export this snapshot's members instead of the whole manifest." };
        var command = new Command("export", "Export the manifest (all contributions) or a snapshot as an Arrow IPC file.") { _id, output, snapshot };
        command.Handle(async (r, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var id = r.GetValue(_id)!;
            var path = r.GetValue(output)!.FullName;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".partial";
            int rows;
            await using (var file = File.Create(temporary))
            {
                if (r.GetValue(snapshot) is { } number)
                {
                    var manifest = await grid.Datanets.GetSnapshotAsync(id, number);
                    await ContributionArrowExport.WriteSnapshotAsync(file, manifest);
                    rows = manifest.Members.Count;
                }
                else
                {
                    var records = await grid.Datanets.ListContributionsAsync(id);
                    await ContributionArrowExport.WriteManifestAsync(file, records);
                    rows = records.Count;
                }
            }
            // Written beside the target and renamed, so a failed export never leaves a truncated file behind.
            File.Move(temporary, path, overwrite: true);
            o.Show(new { path, rows }, v => AnsiConsole.MarkupLine($"Wrote {v.rows} rows to [bold]{Markup.Escape(v.path)}[/]"));
            return 0;
        });
        return command;
    }

    /// <summary>Renders a Datanet's description and counts.</summary>
    public static void ShowInfo(DatanetInfo info)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]datanet[/]", $"{info.Id} — {Markup.Escape(info.Spec.Name)} ({info.Spec.Domain})");
        grid.AddRow("owner", info.Owner);
        grid.AddRow("licence", Markup.Escape(info.Spec.Licence));
        grid.AddRow("curation", info.Spec.Curation.Mode == CurationMode.Open ? "open" : "curated by " + string.Join(", ", info.Spec.Curation.Curators));
        grid.AddRow("contributions", $"{info.Counts.Total} ({info.Counts.Approved} approved, {info.Counts.Pending} pending, {info.Counts.Rejected} rejected), {info.Counts.Records} records, {info.Counts.Bytes} bytes");
        foreach (var s in info.Snapshots)
        {
            grid.AddRow($"snapshot {s.Number}", $"{s.ContributionCount} contributions, root {s.Root}");
        }
        AnsiConsole.Write(grid);
    }

    /// <summary>A table of contributions.</summary>
    public static Table ContributionTable(IReadOnlyList<ContributionRecord> records)
    {
        var table = Output.Table("#", "contribution", "contributor", "records", "bytes", "status", "reason");
        foreach (var c in records)
        {
            var status = c.Status switch
            {
                ContributionStatus.Approved => "[green]approved[/]",
                ContributionStatus.Rejected => "[red]rejected[/]",
                _ => "[yellow]pending[/]",
            };
            table.AddRow($"{c.Sequence}", Output.Short(c.Id), Output.Short(c.Contributor), $"{c.RecordCount}", $"{c.SizeBytes}", status, Markup.Escape(c.Reason ?? ""));
        }
        return table;
    }
}
