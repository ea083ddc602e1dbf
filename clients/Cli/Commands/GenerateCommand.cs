using System.CommandLine;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using OpenLedger.Model.Tokenization;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>
/// `openledger model generate CHECKPOINT [--adapter DIR] "prompt"`: runs a local Hugging Face checkpoint, optionally
/// with a PEFT adapter, and streams the continuation. For trying a checkpoint or adapter before importing it.
/// </summary>
public static class GenerateCommand
{
    /// <summary>The `generate` command.</summary>
    public static Command Build()
    {
        var checkpoint = new Argument<DirectoryInfo>("checkpoint") { Description = "A Hugging Face checkpoint folder." };
        var prompt = new Argument<string>("prompt") { Description = "The text to continue." };
        var adapter = new Option<DirectoryInfo?>("--adapter") { Description = "A PEFT LoRA adapter folder to apply." };
        var maxTokens = new Option<int>("--max-tokens") { DefaultValueFactory = _ => 48 };
        var temperature = new Option<double>("--temperature") { DefaultValueFactory = _ => 0, Description = "0 is greedy." };
        var topP = new Option<double>("--top-p") { DefaultValueFactory = _ => 1 };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 0 };
        var stop = new Option<string[]>("--stop") { Description = "Stop before this text. Repeat for several." };
        var command = new Command("generate", "Continue a prompt with a local checkpoint (and adapter), streaming.")
        {
            checkpoint, prompt, adapter, maxTokens, temperature, topP, seed, stop,
        };
        command.Handle((r, o) =>
        {
            var folder = r.GetValue(checkpoint)!.FullName;
            try
            {
                using var model = HfCheckpoint.Load(folder);
                var tokenizer = TextTokenizer.Load(folder, model.Config);
                if (r.GetValue(adapter) is { } adapterFolder)
                {
                    PeftAdapter.Load(adapterFolder.FullName).ApplyTo(model);
                }
                var parameters = new SamplingParameters(r.GetValue(maxTokens), r.GetValue(temperature), r.GetValue(topP), r.GetValue(seed), r.GetValue(stop));
                var text = new System.Text.StringBuilder();
                foreach (var piece in TextGeneration.Generate(model, tokenizer, r.GetValue(prompt)!, parameters))
                {
                    text.Append(piece);
                    if (!o.Json)
                    {
                        Console.Write(piece);
                    }
                }
                if (!o.Json)
                {
                    Console.WriteLine();
                }
                o.Show(new { prompt = r.GetValue(prompt), completion = text.ToString() }, _ => { });
                return Task.FromResult(0);
            }
            catch (CheckpointException e)
            {
                throw new CliException(e.Message);
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
        });
        return command;
    }
}
