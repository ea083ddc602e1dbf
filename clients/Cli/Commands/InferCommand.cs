using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenLedger.Attribution;
using OpenLedger.Errors;
using OpenLedger.Serving;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>
/// `openledger infer --model M "prompt" [--attribution]`: generation by a base model or deployed adapter on the grid,
/// streamed to the terminal as it arrives, then the finish reason, token counts, speed and the inference id its
/// attribution is recorded under; with --attribution, that attribution once it is computed.
/// </summary>
public static class InferCommand
{
    // Attribution is queued behind other answers; on this grid it takes seconds, so two minutes means something is wrong.
    private static readonly TimeSpan _attributionWait = TimeSpan.FromMinutes(2);

    /// <summary>The `infer` command.</summary>
    public static Command Build()
    {
        var prompt = new Argument<string>("prompt") { Description = "The text to continue." };
        var model = new Option<string>("--model") { Required = true, Description = "A base model name or a deployed adapter id." };
        var defaults = new CompletionRequest("");
        var maxTokens = new Option<int>("--max-tokens") { DefaultValueFactory = _ => defaults.MaxTokens, Description = "Most tokens to generate." };
        var temperature = new Option<double>("--temperature") { DefaultValueFactory = _ => defaults.Temperature, Description = "0 is greedy." };
        var topP = new Option<double>("--top-p") { DefaultValueFactory = _ => defaults.TopP, Description = "Nucleus sampling mass." };
        var stop = new Option<string[]>("--stop") { Description = "Stop before this text. Repeat for several." };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => defaults.Seed, Description = "Seed for sampling." };
        var attribution = new Option<bool>("--attribution") { Description = "After the answer, wait for its attribution and show it." };
        var command = new Command("infer", "Generate with a base model or deployed adapter on the grid, streaming the text as it arrives.")
        {
            prompt, model, maxTokens, temperature, topP, stop, seed, attribution,
        };
        command.Handle(async (r, o) =>
        {
            var modelName = r.GetValue(model)!;
            var stops = r.GetValue(stop) is { Length: > 0 } s ? s : null;
            var request = new CompletionRequest(r.GetValue(prompt)!, r.GetValue(maxTokens), r.GetValue(temperature), r.GetValue(topP), r.GetValue(seed), stops);
            await using var grid = await CommandRunner.ConnectAsync();
            var text = new StringBuilder();
            CompletionChunk? last = null;
            TimeSpan? firstPiece = null;
            var clock = Stopwatch.StartNew();
            try
            {
                await foreach (var chunk in grid.Inference.StreamAsync(modelName, request))
                {
                    if (chunk.Text.Length > 0)
                    {
                        firstPiece ??= clock.Elapsed;
                        text.Append(chunk.Text);
                        if (!o.Json)
                        {
                            Console.Write(chunk.Text);
                        }
                    }
                    last = chunk;
                }
            }
            catch (OpenLedgerException) when (text.Length > 0 && !o.Json)
            {
                // The error is reported on its own line, not glued to the text streamed so far.
                Console.WriteLine();
                throw;
            }
            var elapsed = clock.Elapsed;
            var tokens = last?.CompletionTokens ?? 0;
            var inferenceId = last?.InferenceId;
            AttributionRecord? record = null;
            if (r.GetValue(attribution) && inferenceId is not null)
            {
                if (o.Json || Console.IsOutputRedirected)
                {
                    record = await grid.Attribution.WaitAsync(inferenceId, _attributionWait);
                }
                else
                {
                    Console.WriteLine();
                    record = await AnsiConsole.Status().StartAsync("attributing the answer to its training data…",
                        _ => grid.Attribution.WaitAsync(inferenceId, _attributionWait));
                }
            }
            var result = new
            {
                model = modelName,
                prompt = request.Prompt,
                completion = text.ToString(),
                finishReason = last?.FinishReason,
                promptTokens = last?.PromptTokens ?? 0,
                completionTokens = tokens,
                seconds = elapsed.TotalSeconds,
                firstTokenMs = firstPiece?.TotalMilliseconds,
                tokensPerSecond = elapsed > TimeSpan.Zero ? tokens / elapsed.TotalSeconds : 0,
                inferenceId,
                attribution = record,
            };
            o.Show(result, v =>
            {
                if (record is null || Console.IsOutputRedirected)
                {
                    Console.WriteLine();
                }
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"[dim]finish {Markup.Escape(v.finishReason ?? "none")} · {v.promptTokens} prompt + {v.completionTokens} completion tokens · {v.seconds:F2} s · {v.tokensPerSecond:F1} tokens/s[/]"));
                AnsiConsole.MarkupLine(v.inferenceId is { } id
                    ? $"[dim]inference[/] [bold]{Markup.Escape(id)}[/][dim] · its attribution: openledger attribution show {Markup.Escape(id)}[/]"
                    : "[dim]A base model's answer is not attributed: only adapters trained on Datanets have data to attribute to.[/]");
                if (v.attribution is { } shown)
                {
                    AttributionCommands.ShowRecord(shown);
                }
            });
            return 0;
        });
        return command;
    }
}
