using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenLedger.Errors;
using OpenLedger.Serving;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>
/// `openledger infer --model M "prompt"`: generation by a base model or deployed adapter on the grid, streamed to the
/// terminal as it arrives, then the finish reason, token counts and speed.
/// </summary>
public static class InferCommand
{
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
        var command = new Command("infer", "Generate with a base model or deployed adapter on the grid, streaming the text as it arrives.")
        {
            prompt, model, maxTokens, temperature, topP, stop, seed,
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
            };
            o.Show(result, v =>
            {
                Console.WriteLine();
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"[dim]finish {Markup.Escape(v.finishReason ?? "none")} · {v.promptTokens} prompt + {v.completionTokens} completion tokens · {v.seconds:F2} s · {v.tokensPerSecond:F1} tokens/s[/]"));
            });
            return 0;
        });
        return command;
    }
}
