using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OpenLedger.Model;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Pretraining;
using OpenLedger.Model.Tokenization;
using OpenLedger.Model.Training;

namespace OpenLedger.Benchmarks;

/// <summary>
/// Training throughput (tokens per second) and peak memory for the demo's model size and a larger one, LoRA
/// fine-tuning side by side with full fine-tuning of every weight. Each (size, mode) runs in its own process so
/// its peak resident memory is its own; each reports the median of 3 timed rounds of 6 steps after 2 warm-up steps.
/// </summary>
public static class TrainingBench
{
    private const int WarmupSteps = 2;
    private const int StepsPerRound = 6;
    private const int Rounds = 3;
    private const int BatchSize = 8;
    private const int SequenceLength = 128;

    private static readonly string[] _sizes = ["small", "base"];

    /// <summary>Runs every (size, mode) in a child process and collects the figures.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync()
    {
        var figures = new List<BenchFigure>();
        foreach (var size in _sizes)
        {
            var lora = await MeasureInChildAsync(size, "lora");
            var full = await MeasureInChildAsync(size, "full");
            figures.Add(new BenchFigure($"{size} LoRA tokens/s", lora.TokensPerSecond, "tokens/s"));
            figures.Add(new BenchFigure($"{size} full fine-tune tokens/s", full.TokensPerSecond, "tokens/s"));
            figures.Add(new BenchFigure($"{size} LoRA / full throughput", lora.TokensPerSecond / full.TokensPerSecond, "x"));
            figures.Add(new BenchFigure($"{size} LoRA peak memory", lora.PeakMegabytes, "MB"));
            figures.Add(new BenchFigure($"{size} full fine-tune peak memory", full.PeakMegabytes, "MB"));
            figures.Add(new BenchFigure($"{size} parameters", lora.Parameters, "count"));
        }
        return figures;
    }

    /// <summary>The child process's work: measure one (size, mode) and print the result as JSON.</summary>
    public static int Worker(string size, string mode)
    {
        var config = BaseModelSizes.Get(size);
        using var model = new LlamaModel(config);
        model.InitialiseWeights(1);
        var tokenizer = TextTokenizer.Gpt2();
        var examples = GeneralCorpus.Generate(3, 400)
            .Select((text, i) => new TrainingExample(
                tokenizer.Encode(text + " " + text).Append(tokenizer.EndOfText).Take(SequenceLength + 1).ToArray(),
                new ExampleSource("bench", 0, $"doc-{i}", "", 0)))
            .ToList();
        var hyper = new TrainingHyperparameters(Epochs: 10, LearningRate: 1e-3, BatchSize: BatchSize, SequenceLength: SequenceLength, Seed: 1);
        LanguageModelTrainer trainer;
        LoraFineTune? fineTune = null;
        if (mode == "lora")
        {
            fineTune = new LoraFineTune(model, new LoraSettings(8, 16, 0.05, LoraSettings.AllTargets), hyper, examples, []);
            trainer = fineTune.Trainer;
        }
        else
        {
            trainer = new LanguageModelTrainer(model, model.BaseParameters(), examples, [], hyper);
        }
        var rates = new List<double>();
        trainer.Run(WarmupSteps, CancellationToken.None);
        for (var round = 0; round < Rounds; round++)
        {
            long tokens = 0;
            var watch = Stopwatch.StartNew();
            trainer.Run(StepsPerRound, CancellationToken.None, p => tokens += p.Tokens);
            rates.Add(tokens / watch.Elapsed.TotalSeconds);
        }
        rates.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new Measurement(rates[rates.Count / 2], PeakResidentMegabytes(), model.ParameterCount)));
        fineTune?.Dispose();
        if (fineTune is null)
        {
            trainer.Dispose();
        }
        return 0;
    }

    private static double PeakResidentMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }

    private static async Task<Measurement> MeasureInChildAsync(string size, string mode)
    {
        Console.WriteLine($"measuring {size} {mode}");
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        var assembly = typeof(TrainingBench).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(assembly);
        }
        start.ArgumentList.Add("training-worker");
        start.ArgumentList.Add(size);
        start.ArgumentList.Add(mode);
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"training worker {size} {mode} failed: {await stderr}");
        }
        var last = (await stdout).Trim().Split('\n')[^1];
        return JsonSerializer.Deserialize<Measurement>(last)!;
    }

    private sealed record Measurement(double TokensPerSecond, double PeakMegabytes, long Parameters);
}
