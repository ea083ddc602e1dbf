using System.CommandLine;
using OpenLedger.Attribution;
using OpenLedger.Cli.Commands;
using OpenLedger.Client;
using OpenLedger.Client.Export;
using OpenLedger.Contributors;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Snapshots;
using OpenLedger.Errors;
using OpenLedger.Models;
using Spectre.Console;

namespace OpenLedger.Cli.Demo;

/// <summary>
/// `openledger demo`: a cybersecurity incident-report Datanet, several contributors signing and sending records,
/// a curator approving most and rejecting one, a snapshot with a verified proof, Arrow exports, then a LoRA
/// fine-tune of a small base model on that snapshot, published with its provenance, then served beside many other
/// adapters over the OpenAI-compatible HTTP API.
/// </summary>
public static class DatanetDemo
{
    /// <summary>The `demo` command.</summary>
    public static Command Build()
    {
        var exports = new Option<DirectoryInfo>("--exports") { Description = "Where to write the Arrow files.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".openledger", "exports")) };
        var command = new Command("demo", "Run the demo against the running grid: a Datanet, a model fine-tuned on it, then serving it beside many adapters.") { exports };
        command.Handle(async (r, o) =>
        {
            await using var grid = await CommandRunner.ConnectAsync();
            var summary = await RunAsync(grid, r.GetValue(exports)!, o);
            o.Show(summary, _ => { });
            return 0;
        });
        return command;
    }

    private static async Task<object> RunAsync(GridClient grid, DirectoryInfo exports, Output o)
    {
        void Say(string markup)
        {
            if (!o.Json)
            {
                AnsiConsole.MarkupLine(markup);
            }
        }
        void Rule(string title)
        {
            if (!o.Json)
            {
                AnsiConsole.Write(new Rule($"[bold]{title}[/]").LeftJustified());
            }
        }

        var id = $"cyber-incidents-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}";
        var lead = ContributorKey.Generate();
        var contributors = new[] { "acme-cert", "northwind-soc", "contoso-ir", "fabrikam-sec" }
            .Select(name => (Name: name, Key: ContributorKey.Generate())).ToList();

        Rule("1. Create a Datanet");
        var spec = new DatanetSpec("Security incident reports", "cybersecurity",
            "Triaged incident write-ups from member SOCs, for training incident-response assistants.",
            "CC-BY-4.0", IncidentReports.Schema, CurationPolicy.CuratedBy(lead.Address));
        var info = await grid.Datanets.CreateAsync(id, lead.Address, spec);
        if (!o.Json)
        {
            DatanetCommands.ShowInfo(info);
        }

        Rule("2. Contributors sign and contribute");
        var receipts = new List<(string Name, ContributionReceipt Receipt)>();
        async Task ContributeAll(Action? advance)
        {
            var seed = 1;
            foreach (var (name, key) in contributors)
            {
                for (var batch = 0; batch < 2; batch++)
                {
                    var payload = IncidentReports.Generate(seed++, 20 + 5 * batch);
                    receipts.Add((name, await grid.Datanets.ContributeAsync(key, id, payload, spec.Licence)));
                    advance?.Invoke();
                }
            }
        }
        if (o.Json || Console.IsOutputRedirected)
        {
            await ContributeAll(null);
        }
        else
        {
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask("signed contributions", maxValue: contributors.Count * 2);
                await ContributeAll(() => task.Increment(1));
            });
        }
        Say($"{receipts.Count} contributions accepted, {receipts.Sum(x => x.Receipt.Record.RecordCount)} records, payloads stored under their keccak256 hashes.");

        Rule("3. Bad input is refused, and nothing accepted changes");
        var (firstName, first) = receipts[0];
        var firstKey = contributors.First(c => c.Name == firstName).Key;
        var refusals = new List<(string Attempt, string Code)>();
        async Task Refused(string attempt, Func<Task> call)
        {
            try
            {
                await call();
                refusals.Add((attempt, "ACCEPTED (unexpected)"));
            }
            catch (OpenLedgerException e)
            {
                refusals.Add((attempt, e.Code));
            }
        }
        var datanet = grid.Cluster.GetGrain<IDatanetGrain>(id);
        await Refused("same payload again", () => grid.Datanets.ContributeAsync(contributors[1].Key, id, IncidentReports.Generate(1, 20), spec.Licence));
        await Refused("replayed nonce", () => datanet.Contribute(firstKey.SignContribution(id, IncidentReports.Generate(99, 3), spec.Licence, first.Record.Nonce)));
        await Refused("severity given as text", () => grid.Datanets.ContributeAsync(firstKey, id,
            "{\"title\":\"x\",\"category\":\"phishing\",\"severity\":\"high\",\"observed_at\":\"2026-01-01T00:00:00Z\",\"affected_hosts\":1,\"contained\":true,\"summary\":\"s\"}\n"u8.ToArray(), spec.Licence));
        await Refused("signed by someone else", () => datanet.Contribute(
            ContributorKey.Generate().SignContribution(id, IncidentReports.Generate(98, 3), spec.Licence) with { Contributor = firstKey.Address }));
        await Refused("unknown Datanet", () => grid.Datanets.ContributeAsync(firstKey, "no-such-datanet", IncidentReports.Generate(97, 3), spec.Licence));
        if (!o.Json)
        {
            var table = Output.Table("attempt", "refused with");
            refusals.ForEach(x => table.AddRow(x.Attempt, $"[yellow]{x.Code}[/]"));
            AnsiConsole.Write(table);
        }

        Rule("4. The curator approves most and rejects one");
        var rejectedId = receipts[3].Receipt.Record.Id;
        foreach (var (_, receipt) in receipts)
        {
            var approve = receipt.Record.Id != rejectedId;
            await grid.Datanets.CurateAsync(lead, id, receipt.Record.Id, approve,
                approve ? "" : "Duplicates an incident already reported by another SOC; merge the timelines and resubmit.");
        }
        var contributions = await grid.Datanets.ListContributionsAsync(id);
        if (!o.Json)
        {
            AnsiConsole.Write(DatanetCommands.ContributionTable(contributions));
        }

        Rule("5. Snapshot, proof and export");
        var snapshot = await grid.Datanets.SnapshotAsync(id);
        var member = receipts[0].Receipt.Record.Id;
        var proof = await grid.Datanets.GetProofAsync(id, snapshot.Number, member);
        var leaf = SnapshotLeaf.Hash(Hex.Decode(proof.Member.PayloadHash), proof.Member.Contributor, proof.Member.SizeBytes, proof.Member.RecordCount);
        var verified = MerkleTree.Verify(Hex.Decode(proof.Root), leaf, proof.Proof.Select(Hex.Decode));
        exports.Create();
        var manifestPath = Path.Combine(exports.FullName, $"{id}-manifest.arrow");
        var snapshotPath = Path.Combine(exports.FullName, $"{id}-snapshot-{snapshot.Number}.arrow");
        await using (var file = File.Create(manifestPath))
        {
            await ContributionArrowExport.WriteManifestAsync(file, contributions);
        }
        await using (var file = File.Create(snapshotPath))
        {
            await ContributionArrowExport.WriteSnapshotAsync(file, await grid.Datanets.GetSnapshotAsync(id, snapshot.Number));
        }
        Say($"Snapshot {snapshot.Number}: {snapshot.ContributionCount} contributions, {snapshot.Records} records, root [green]{snapshot.Root}[/]");
        Say($"Proof for {Output.Short(member)} ({proof.Proof.Count} hashes): {(verified ? "[green]verifies[/]" : "[red]does not verify[/]")}");
        Say($"Arrow exports: {Markup.Escape(manifestPath)}, {Markup.Escape(snapshotPath)}");

        Rule("6. Contributors");
        var profiles = new List<(string Name, ContributorProfile Profile)>();
        foreach (var (name, key) in contributors)
        {
            profiles.Add((name, await grid.Cluster.GetGrain<IContributorGrain>(key.Address).GetProfile()));
        }
        if (!o.Json)
        {
            var table = Output.Table("contributor", "address", "submitted", "accepted", "rejected", "bytes");
            profiles.ForEach(p => table.AddRow(p.Name, p.Profile.Address, $"{p.Profile.Reputation.Submitted}", $"{p.Profile.Reputation.Accepted}",
                $"{p.Profile.Reputation.Rejected}", $"{p.Profile.Reputation.Bytes}"));
            AnsiConsole.Write(table);
        }
        if (!verified || refusals.Any(x => x.Code.StartsWith("ACCEPTED", StringComparison.Ordinal)))
        {
            throw new CliException("The demo saw an unexpected result; see above.");
        }
        var modelFactory = await ModelFactoryDemo.RunAsync(grid, id, snapshot.Number, firstStep: 7, o);
        // The ModelFactory part reports its published model only inside the anonymous summary it returns for --json.
        var trained = (ModelInfo)modelFactory.GetType().GetProperty("model")!.GetValue(modelFactory)!;
        var names = contributors.ToDictionary(c => c.Key.Address, c => c.Name, StringComparer.OrdinalIgnoreCase);
        await EconomyDemo.FundAgentAsync(o);
        var serving = await ServingDemo.RunAsync(grid, trained.ModelId, names, firstStep: 10, o);
        var attributed = (IEnumerable<AttributionRecord>)serving.GetType().GetProperty("attributions")!.GetValue(serving)!;
        var agents = await AgentsDemo.RunAsync(trained.ModelId, firstStep: 16, o);
        var economy = await EconomyDemo.RunAsync(grid, [.. attributed.Select(a => a.InferenceId)], names, firstStep: 18, o);
        // The export first, so that the demo ends on the earnings table and where the dashboard is.
        var earnings = await EarningsDemo.RunAsync(grid, exports, firstStep: 20, o);
        var analysts = await AnalystsDemo.RunAsync(grid, id, names, firstStep: 21, o);
        return new
        {
            datanet = id,
            contributions = contributions.Count,
            approved = contributions.Count(c => c.Status == ContributionStatus.Approved),
            rejected = contributions.Count(c => c.Status == ContributionStatus.Rejected),
            refused = refusals.Select(x => new { attempt = x.Attempt, code = x.Code }),
            snapshot,
            proofVerified = verified,
            exports = new[] { manifestPath, snapshotPath },
            modelFactory,
            serving,
            agents,
            economy,
            analysts,
            earnings,
        };
    }
}
