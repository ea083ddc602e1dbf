using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using OpenLedger.Model.Tokenization;

namespace OpenLedger.Model.Tests;

public sealed class ServingEngineTests
{
    private static readonly TextTokenizer _tokenizer = TextTokenizer.Gpt2();

    [Fact]
    public async Task Concurrent_streams_for_different_adapters_match_each_run_alone()
    {
        using var model = TinyModels.Random(TinyModels.Config(vocab: 50257), seed: 81);
        var incidents = SyntheticAdapters.Create(model, new LoraSettings(4, 8, 0, LoraSettings.AllTargets), 1, 0.3, "tiny");
        var recipes = SyntheticAdapters.Create(model, new LoraSettings(2, 4, 0, ["q_proj", "o_proj"]), 2, 0.3, "tiny");
        var expected = new Dictionary<string, string>();
        foreach (var (id, adapter) in new[] { ("incidents", incidents), ("recipes", recipes) })
        {
            adapter.ApplyTo(model);
            expected[id] = string.Concat(TextGeneration.Generate(model, _tokenizer, "Report:", new SamplingParameters(MaxTokens: 10)));
            LoraAttachment.DetachAll(model);
        }
        expected["base"] = string.Concat(TextGeneration.Generate(model, _tokenizer, "Report:", new SamplingParameters(MaxTokens: 10)));

        await using var engine = new ServingEngine(model, _tokenizer, maxBatch: 4);
        engine.Deploy("incidents", incidents);
        engine.Deploy("recipes", recipes);
        async Task<string> Collect(string? adapter)
        {
            var pieces = new List<string>();
            await foreach (var piece in engine.GenerateAsync(adapter, "Report:", new SamplingParameters(MaxTokens: 10)))
            {
                pieces.Add(piece);
            }
            return string.Concat(pieces);
        }
        var results = await Task.WhenAll(Collect("incidents"), Collect("recipes"), Collect(null), Collect("incidents"));
        Assert.Equal(expected["incidents"], results[0]);
        Assert.Equal(expected["recipes"], results[1]);
        Assert.Equal(expected["base"], results[2]);
        Assert.Equal(expected["incidents"], results[3]);

        // Removed adapters stop being servable; deploying again serves the same output.
        Assert.True(engine.Remove("recipes"));
        Assert.Throws<UnknownAdapterException>(() => engine.GenerateAsync("recipes", "Report:", new SamplingParameters()).GetAsyncEnumerator().MoveNextAsync().AsTask().GetAwaiter().GetResult());
        engine.Deploy("recipes", recipes);
        Assert.Equal(expected["recipes"], await Collect("recipes"));
    }

    [Fact]
    public async Task A_cancelled_stream_ends_and_bad_parameters_are_refused_before_queueing()
    {
        using var model = TinyModels.Random(TinyModels.Config(vocab: 50257), seed: 82);
        await using var engine = new ServingEngine(model, _tokenizer, maxBatch: 2);
        using var cancel = new CancellationTokenSource();
        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in engine.GenerateAsync(null, "Hello", new SamplingParameters(MaxTokens: 50), cancel.Token))
            {
                if (++received == 2)
                {
                    await cancel.CancelAsync();
                }
            }
        });
        Assert.True(received >= 2);
        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var _ in engine.GenerateAsync(null, "Hello", new SamplingParameters(MaxTokens: 5, TopP: 0)))
            {
            }
        });
        Assert.Contains("top_p 0", error.Message);

        // The engine still serves after both.
        var after = new List<string>();
        await foreach (var piece in engine.GenerateAsync(null, "Hello", new SamplingParameters(MaxTokens: 3)))
        {
            after.Add(piece);
        }
        Assert.NotEmpty(string.Concat(after));
    }
}
