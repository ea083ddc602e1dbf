using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenLedger.Attribution;
using OpenLedger.Cli.Commands;
using OpenLedger.Client;
using OpenLedger.Client.OpenAi;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using OpenLedger.Serving;
using Spectre.Console;

namespace OpenLedger.Cli.Demo;

/// <summary>
/// The demo's serving part: the fine-tuned adapter and forty synthetic ones of mixed rank deployed on the shared base
/// model, answers streamed over the OpenAI-compatible HTTP API and attributed to the contributors whose data shaped
/// them, a burst of concurrent streams across many adapters, and where the adapters live afterwards.
/// </summary>
public static class ServingDemo
{
    private const string BaseName = "openledger-small";
    private const int SyntheticCount = 40;
    private const int BurstAdapters = 32;
    private const double SyntheticStd = 0.01;
    private const int ShownSpans = 3;
    private const int ShownExamples = 3;
    private static readonly int[] _ranks = [8, 16, 32, 64];
    // Attribution runs queued beside serving; a few seconds each here, so minutes mean something is wrong.
    private static readonly TimeSpan _attributionWait = TimeSpan.FromMinutes(3);

    // In the fine-tune's own format (a record as "field: value" lines), so the adapter continues a report it knows.
    private static readonly string[] _prompts =
    [
        "title: Ransomware staged through RMM tool\ncategory: ransomware\n",
        "title: Exploitation of edge VPN appliance\ncategory: vulnerability\n",
        "title: Credential phishing against finance team\ncategory: phishing\nseverity: 4\n",
    ];

    /// <summary>
    /// Runs the steps after the ModelFactory part for model <paramref name="trainedModelId"/>, numbering them from
    /// <paramref name="firstStep"/>; <paramref name="contributorNames"/> (address to name) names the Datanet's contributors.
    /// </summary>
    public static async Task<object> RunAsync(GridClient grid, string trainedModelId, IReadOnlyDictionary<string, string> contributorNames, int firstStep, Output o)
    {
        var narration = new DemoNarration(o, firstStep);

        // Checked first: without a key the HTTP steps cannot run, and nothing should be deployed for nothing.
        using var http = OpenHttp();

        narration.Step("Serve the fine-tuned adapter");
        var trained = await grid.Adapters.DeployModelAsync(trainedModelId, BaseName, trainedModelId, pinned: true);
        if (!o.Json)
        {
            AdapterCommands.ShowAdapter(trained);
        }
        narration.Say("Deployed under its model id and pinned, so the many adapters deployed next never push it off its device.");

        narration.Step($"{SyntheticCount} more adapters of mixed rank on the same base model");
        var synthetic = await DeploySyntheticAsync(grid, o);
        if (!o.Json)
        {
            var table = Output.Table("rank", "adapters", "device bytes each");
            foreach (var group in synthetic.GroupBy(a => a.Rank).OrderBy(g => g.Key))
            {
                table.AddRow(group.Key.ToString(CultureInfo.InvariantCulture), group.Count().ToString(CultureInfo.InvariantCulture),
                    group.First().DeviceBytes.ToString("N0", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
        }
        narration.Say($"Random low-rank factors (std {SyntheticStd.ToString(CultureInfo.InvariantCulture)}) on every projection: stand-ins for many tenants' fine-tunes sharing one copy of the base weights.");

        narration.Step("Ask the fine-tuned adapter over the OpenAI-compatible API");
        narration.Say($"POST {Markup.Escape(http.BaseAddress.ToString())}v1/completions with stream: true, printing tokens as they arrive:");
        var answers = new List<Answer>();
        foreach (var prompt in _prompts)
        {
            answers.Add(await OverHttpAsync(http, () => AskAsync(http, trainedModelId, prompt, o)));
        }
        narration.Say("Each answer's id ([bold]inf-…[/]) names its inference; the grid attributes it in the background while serving goes on.");

        narration.Step("Whose data shaped each answer");
        narration.Say("Two kinds of evidence, merged into shares in exact parts per billion: the answer's gradient scored against every training example's projected LoRA gradient at the kept checkpoints (DataInf-weighted TracIn), and stretches of the answer found verbatim in the training tokens' suffix arrays.");
        var attributions = new List<AttributionRecord>();
        for (var i = 0; i < answers.Count; i++)
        {
            var record = await AttributionOfAsync(grid, answers[i], o);
            attributions.Add(record);
            if (!o.Json)
            {
                ShowAttribution(i + 1, answers[i], record, contributorNames);
            }
        }
        if (attributions.Any(a => a.Status != AttributionStatus.Complete))
        {
            throw new CliException("An answer of the fine-tuned adapter was not attributed; see above.");
        }

        narration.Step($"A burst of {BurstAdapters + 1} concurrent streams across {BurstAdapters + 1} adapters");
        var burst = await OverHttpAsync(http, () => BurstAsync(http, synthetic.Take(BurstAdapters).Select(a => a.AdapterId).Append(trainedModelId).ToList()));
        if (!o.Json)
        {
            var table = Output.Table("requests", "completion tokens", "wall time", "tokens/s", "p50 first token");
            table.AddRow(burst.Requests.ToString(CultureInfo.InvariantCulture), burst.CompletionTokens.ToString("N0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{burst.WallSeconds:F2} s"), burst.TokensPerSecond.ToString("F1", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{burst.P50FirstTokenMs:F0} ms"));
            AnsiConsole.Write(table);
        }
        narration.Say("Requests for different adapters share decoding steps on one base model: each row of a batch applies its own adapter's factors.");

        narration.Step("Where the adapters live now");
        var models = await OverHttpAsync(http, () => http.ListModelsAsync());
        var adapters = models.Where(m => m.BaseModel is not null && m.BaseModel != m.Id).ToList();
        var residency = new
        {
            device = adapters.Count(m => m.Residency == AdapterResidency.Device),
            host = adapters.Count(m => m.Residency == AdapterResidency.Host),
            storage = adapters.Count(m => m.Residency == AdapterResidency.Storage),
        };
        if (!o.Json)
        {
            var table = Output.Table("residency", "adapters");
            table.AddRow("[green]device[/]", residency.device.ToString(CultureInfo.InvariantCulture));
            table.AddRow("[yellow]host[/]", residency.host.ToString(CultureInfo.InvariantCulture));
            table.AddRow("[dim]storage[/]", residency.storage.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
        }
        narration.Say($"GET /v1/models lists {models.Count} models, {adapters.Count} of them adapters; cold ones stay deployed and are loaded again on their next request.");

        return new
        {
            adapter = trained,
            synthetic = new { count = synthetic.Count, ranks = _ranks, deviceBytes = synthetic.Sum(a => a.DeviceBytes) },
            answers,
            attributions,
            burst,
            residency,
        };
    }

    private static OpenAiHttpClient OpenHttp()
    {
        try
        {
            return OpenAiHttpClient.FromEnvironment();
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(e.Message);
        }
    }

    // Generated here, not in the grid: an operator uploading PEFT files is the path being shown.
    private static async Task<IReadOnlyList<AdapterInfo>> DeploySyntheticAsync(GridClient grid, Output o)
    {
        var folder = Path.Combine(".openledger", "models", BaseName);
        if (!File.Exists(Path.Combine(folder, HfCheckpoint.ConfigFile)))
        {
            throw new CliException($"The base model's checkpoint is not in {folder}, so its adapters' shapes are unknown; run the demo from the repository root, or `openledger model base create --size small --out {folder} --local-only`.");
        }
        var plans = Enumerable.Range(0, SyntheticCount)
            .Select(i => (Id: $"demo-r{_ranks[i % _ranks.Length]}-{i}", Rank: _ranks[i % _ranks.Length], Seed: 1000L + i))
            .ToList();
        var infos = new AdapterInfo[plans.Count];

        async Task Run(Action? generated, Action? deployed)
        {
            var adapters = new List<PeftAdapter>();
            try
            {
                using var model = HfCheckpoint.Load(folder);
                foreach (var plan in plans)
                {
                    adapters.Add(SyntheticAdapters.Create(model, new LoraSettings(plan.Rank, 2.0 * plan.Rank, 0, LoraSettings.AllTargets), plan.Seed, SyntheticStd, BaseName));
                    generated?.Invoke();
                }
            }
            catch (CheckpointException e)
            {
                throw new CliException(e.Message);
            }
            // A few deployments at once: each loads its weights on a silo, and forty in one go would only queue there.
            await Parallel.ForEachAsync(Enumerable.Range(0, plans.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            {
                infos[i] = await grid.Adapters.DeployPeftAsync(plans[i].Id, BaseName, adapters[i].ConfigJson, adapters[i].Weights);
                deployed?.Invoke();
            });
        }

        if (o.Json || Console.IsOutputRedirected)
        {
            await Run(null, null);
        }
        else
        {
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var generating = progress.AddTask("generating PEFT adapters", maxValue: plans.Count);
                var deploying = progress.AddTask("deploying them", maxValue: plans.Count);
                await Run(() => generating.Increment(1), () => deploying.Increment(1));
            });
        }
        return infos;
    }

    private static async Task<Answer> AskAsync(OpenAiHttpClient http, string model, string prompt, Output o)
    {
        if (!o.Json)
        {
            AnsiConsole.Markup($"[dim]{Markup.Escape(prompt)}[/]");
        }
        var text = new StringBuilder();
        OpenAiCompletionChunk? last = null;
        var clock = Stopwatch.StartNew();
        try
        {
            await foreach (var chunk in http.StreamCompletionAsync(model, prompt, new OpenAiSampling(MaxTokens: 60)))
            {
                text.Append(chunk.Text);
                if (!o.Json)
                {
                    Console.Write(chunk.Text);
                }
                last = chunk;
            }
        }
        finally
        {
            if (!o.Json)
            {
                Console.WriteLine();
            }
        }
        var tokens = last?.Usage?.CompletionTokens ?? 0;
        var seconds = clock.Elapsed.TotalSeconds;
        if (!o.Json)
        {
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[dim]finish {Markup.Escape(last?.FinishReason ?? "none")} · {tokens} tokens · {tokens / seconds:F1} tokens/s[/]"));
        }
        return new Answer(prompt, text.ToString(), last?.FinishReason, tokens, seconds, last?.InferenceId);
    }

    private static async Task<AttributionRecord> AttributionOfAsync(GridClient grid, Answer answer, Output o)
    {
        if (answer.InferenceId is not { } id)
        {
            throw new CliException("The HTTP API returned no inference id for an answer of the fine-tuned adapter, so its attribution cannot be found.");
        }
        if (o.Json || Console.IsOutputRedirected)
        {
            return await grid.Attribution.WaitAsync(id, _attributionWait);
        }
        return await AnsiConsole.Status().StartAsync($"attributing {Markup.Escape(id)}…", _ => grid.Attribution.WaitAsync(id, _attributionWait));
    }

    // One answer's attribution in brief: shares, the answer with its strongest verbatim spans marked, the examples that
    // moved it most, and a sentence on why the leading contributor leads.
    private static void ShowAttribution(int number, Answer answer, AttributionRecord record, IReadOnlyDictionary<string, string> names)
    {
        AnsiConsole.MarkupLine($"[bold]Answer {number}[/] [dim]{Markup.Escape(record.InferenceId)}[/] {AttributionCommands.Status(record.Status)}");
        if (record.Status != AttributionStatus.Complete)
        {
            AnsiConsole.MarkupLine($"  {Markup.Escape(record.Error ?? "no reason given")}");
            return;
        }
        AnsiConsole.Write(AttributionCommands.ContributorTable(record.Contributors, names));
        var strongest = record.Spans.OrderByDescending(s => s.Weight).ThenByDescending(s => s.Tokens).Take(ShownSpans).OrderBy(s => s.Start).ToList();
        AnsiConsole.Write(new Panel(new Markup($"[dim]{Markup.Escape(answer.Prompt)}[/]{AttributionCommands.Highlight(record.Output, strongest)}"))
            .Header(strongest.Count > 0 ? $"the answer, its {strongest.Count} strongest verbatim spans marked" : "the answer (no verbatim span long enough to count)")
            .Border(BoxBorder.Rounded).Expand());
        if (strongest.Count > 0)
        {
            AnsiConsole.Write(AttributionCommands.SpanTable(strongest, names));
        }
        if (record.TopExamples.Count > 0)
        {
            AnsiConsole.Write(AttributionCommands.ExampleTable(record.TopExamples.Take(ShownExamples), names));
        }
        if (record.Contributors.FirstOrDefault() is { } lead)
        {
            var examples = record.TopExamples.Count(e => e.Contributor == lead.Contributor);
            var spans = record.Spans.Count(s => s.Sources.Any(x => x.Contributor == lead.Contributor));
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"{AttributionCommands.Who(lead.Contributor, names)} leads with [bold]{Shares.Percent(lead.PartsPerBillion)}[/]: {examples} of the {record.TopExamples.Count} most influential examples are its records, and it is a source of {spans} of the {record.Spans.Count} verbatim spans."));
        }
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[dim]{Markup.Escape(record.Method)} over {record.Shards} shards in {record.ElapsedMs:F0} ms; index {Markup.Escape(record.IndexHash is { } hash ? Output.Short(hash) + "…" : "-")}, {record.Artifacts.Count} artifacts checked by hash[/]"));
    }

    private static async Task<BurstResult> BurstAsync(OpenAiHttpClient http, IReadOnlyList<string> models)
    {
        var clock = Stopwatch.StartNew();
        var streams = await Task.WhenAll(models.Select((model, i) =>
            StreamOneAsync(http, model, _prompts[i % _prompts.Length], new OpenAiSampling(MaxTokens: 32, Temperature: 0.8, TopP: 0.95, Seed: i))));
        var wall = clock.Elapsed.TotalSeconds;
        var tokens = streams.Sum(s => s.Tokens);
        var firsts = streams.Select(s => s.FirstTokenMs).Order().ToList();
        var p50 = firsts.Count % 2 == 1 ? firsts[firsts.Count / 2] : (firsts[firsts.Count / 2 - 1] + firsts[firsts.Count / 2]) / 2;
        return new BurstResult(streams.Length, tokens, wall, tokens / wall, p50);
    }

    private static async Task<(int Tokens, double FirstTokenMs)> StreamOneAsync(OpenAiHttpClient http, string model, string prompt, OpenAiSampling sampling)
    {
        var started = Stopwatch.GetTimestamp();
        double? firstTokenMs = null;
        var pieces = 0;
        OpenAiUsage? usage = null;
        await foreach (var chunk in http.StreamCompletionAsync(model, prompt, sampling))
        {
            if (chunk.Text.Length > 0)
            {
                firstTokenMs ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                pieces++;
            }
            usage = chunk.Usage ?? usage;
        }
        // Usage counts tokens exactly; pieces only approximate them, for a server that leaves usage out.
        return (usage?.CompletionTokens ?? pieces, firstTokenMs ?? Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static async Task<T> OverHttpAsync<T>(OpenAiHttpClient http, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (OpenAiApiException e)
        {
            throw new CliException($"The HTTP API at {http.BaseAddress} answered {e.Status} ({e.Code ?? e.Type}): {e.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"Cannot reach the HTTP API at {http.BaseAddress} ({e.Message}); check {OpenAiHttpClient.UrlVariable} and that a silo is serving it.");
        }
        catch (IOException e)
        {
            throw new CliException(e.Message);
        }
    }

    private sealed record Answer(string Prompt, string Completion, string? FinishReason, int CompletionTokens, double Seconds, string? InferenceId);

    private sealed record BurstResult(int Requests, int CompletionTokens, double WallSeconds, double TokensPerSecond, double P50FirstTokenMs);
}
