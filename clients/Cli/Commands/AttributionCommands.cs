using System.CommandLine;
using System.Globalization;
using System.Text;
using OpenLedger.Attribution;
using OpenLedger.Client;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>
/// `openledger attribution show INFERENCE [--wait SECONDS]`: which contributors' data shaped a served answer, their
/// shares, and the evidence: the answer's verbatim spans found in the training data and its most influential examples.
/// </summary>
public static class AttributionCommands
{
    // Neighbouring spans alternate colours, so where one ends and the next begins stays visible.
    private static readonly string[] _spanStyles = ["black on yellow", "black on aqua"];

    /// <summary>The `attribution` command group.</summary>
    public static Command Build()
    {
        var attribution = new Command("attribution", "Proof of Attribution: which contributors' data shaped a served answer, and the evidence.");
        attribution.Subcommands.Add(Show());
        attribution.Subcommands.Add(EconomyCommands.Verify());
        return attribution;
    }

    /// <summary>Prints a whole record: status and provenance, shares, the answer with its spans marked, spans and examples.</summary>
    public static void ShowRecord(AttributionRecord record) => ShowRecord(record, null);

    /// <summary>Prints a whole record, naming contributors by <paramref name="names"/> (address to name) where it knows them.</summary>
    public static void ShowRecord(AttributionRecord record, IReadOnlyDictionary<string, string>? names)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]inference[/]", Markup.Escape(record.InferenceId));
        grid.AddRow("status", Status(record.Status));
        grid.AddRow("model", Markup.Escape(record.ModelId ?? "-"));
        grid.AddRow("adapter", Markup.Escape(record.AdapterId ?? "-"));
        if (record.Error is { } error)
        {
            grid.AddRow(record.Status == AttributionStatus.Failed ? "[red]error[/]" : "why", Markup.Escape(error));
        }
        grid.AddRow("method", Markup.Escape(record.Method));
        grid.AddRow("index hash", Markup.Escape(record.IndexHash ?? "-"));
        grid.AddRow("artifacts", string.Create(CultureInfo.InvariantCulture, $"{record.Artifacts.Count} files over {record.Shards} shards"));
        if (record.ComputedAt is { } at)
        {
            grid.AddRow("computed", string.Create(CultureInfo.InvariantCulture, $"{at:u} in {record.ElapsedMs:F0} ms"));
        }
        AnsiConsole.Write(grid);
        if (record.Status == AttributionStatus.Pending)
        {
            AnsiConsole.MarkupLine($"[dim]Still being computed; wait for it with `openledger attribution show {Markup.Escape(record.InferenceId)} --wait 60`.[/]");
            return;
        }
        if (record.Contributors.Count > 0)
        {
            AnsiConsole.Write(ContributorTable(record.Contributors, names));
        }
        AnsiConsole.Write(new Panel(new Markup($"[dim]{Markup.Escape(record.Prompt)}[/]{Highlight(record.Output, record.Spans)}"))
            .Header(record.Spans.Count > 0 ? "prompt, then the answer with its verbatim spans marked" : "prompt, then the answer")
            .Border(BoxBorder.Rounded).Expand());
        if (record.Spans.Count > 0)
        {
            AnsiConsole.Write(SpanTable(record.Spans, names));
        }
        if (record.TopExamples.Count > 0)
        {
            AnsiConsole.Write(ExampleTable(record.TopExamples, names));
        }
    }

    /// <summary>
    /// <paramref name="output"/> as Spectre markup with each of <paramref name="spans"/> on a coloured background; every
    /// piece of text is escaped, so markup characters in answers print as themselves.
    /// </summary>
    public static string Highlight(string output, IReadOnlyList<AttributedSpan> spans)
    {
        var markup = new StringBuilder();
        foreach (var segment in AttributedText.Segments(output, spans))
        {
            var text = Markup.Escape(segment.Text);
            markup.Append(segment.Span is { } span ? $"[{_spanStyles[span % _spanStyles.Length]}]{text}[/]" : text);
        }
        return markup.ToString();
    }

    /// <summary>Contributors with their shares as percentages, gradient influence and span weight.</summary>
    public static Table ContributorTable(IEnumerable<AttributedContributor> contributors, IReadOnlyDictionary<string, string>? names)
    {
        var table = Output.Table("contributor", "share", "influence", "span weight");
        foreach (var c in contributors)
        {
            table.AddRow(Who(c.Contributor, names), $"[bold]{Shares.Percent(c.PartsPerBillion)}[/]", Number(c.Influence), Number(c.SpanWeight));
        }
        return table;
    }

    /// <summary>Verbatim spans: their text, length, how often and where they occur in the training data.</summary>
    public static Table SpanTable(IEnumerable<AttributedSpan> spans, IReadOnlyDictionary<string, string>? names)
    {
        var table = Output.Table("#", "span", "tokens", "occurrences", "weight", "sources (contribution · contributor)");
        var n = 0;
        foreach (var s in spans)
        {
            var sources = string.Join('\n', s.Sources.Select(o => $"{Markup.Escape(Output.Short(o.ContributionId))} · {Who(o.Contributor, names)}"));
            table.AddRow($"[{_spanStyles[n % _spanStyles.Length]}]{++n}[/]", Markup.Escape(s.Text), s.Tokens.ToString(CultureInfo.InvariantCulture),
                s.Occurrences.ToString("N0", CultureInfo.InvariantCulture), Number(s.Weight), sources);
        }
        return table;
    }

    /// <summary>The most influential training examples and the contributions they came from.</summary>
    public static Table ExampleTable(IEnumerable<InfluentialExample> examples, IReadOnlyDictionary<string, string>? names)
    {
        var table = Output.Table("example", "contribution", "contributor", "score");
        foreach (var e in examples)
        {
            table.AddRow(e.ExampleId.ToString(CultureInfo.InvariantCulture), Markup.Escape(Output.Short(e.ContributionId)), Who(e.Contributor, names), Number(e.Score));
        }
        return table;
    }

    /// <summary>A contributor as markup: its name and short address where <paramref name="names"/> knows it, else the address.</summary>
    public static string Who(string address, IReadOnlyDictionary<string, string>? names) =>
        names is not null && names.TryGetValue(address, out var name)
            ? $"{Markup.Escape(name)} [dim]{Markup.Escape(Output.Short(address))}[/]"
            : Markup.Escape(address);

    /// <summary>A status in colour.</summary>
    public static string Status(AttributionStatus status) => status switch
    {
        AttributionStatus.Complete => "[green]complete[/]",
        AttributionStatus.Pending => "[yellow]pending[/]",
        AttributionStatus.NotAttributable => "[dim]not attributable[/]",
        _ => "[red]failed[/]",
    };

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static Command Show()
    {
        var inference = new Argument<string>("inference") { Description = "The inference id (inf-…) an answer came back with." };
        var wait = new Option<double?>("--wait") { Description = "If it is still pending, wait up to this many seconds for it to be computed." };
        var command = new Command("show", "Show an answer's attribution: contributors' shares, its verbatim spans, its most influential examples.") { inference, wait };
        command.Handle(async (r, o) =>
        {
            var id = r.GetValue(inference)!;
            var seconds = r.GetValue(wait);
            if (seconds is < 0 or > 3600)
            {
                throw new CliException("--wait takes seconds from 0 to 3600.");
            }
            await using var grid = await CommandRunner.ConnectAsync();
            var record = seconds is { } s
                ? await grid.Attribution.WaitAsync(id, TimeSpan.FromSeconds(s))
                : await grid.Attribution.GetAsync(id);
            o.Show(record, ShowRecord);
            return 0;
        });
        return command;
    }
}
