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
        foreach (var (id, adapter) in new[] { ("incidents", incidents), ("recipes", recipes), ("base", null) })
        {
            expected[id] = LoraAttachment.WithMerged(model, adapter,
                () => string.Concat(TextGeneration.Generate(model, _tokenizer, "Report:", new SamplingParameters(MaxTokens: 10))));
        }

        await using var engine = new ServingEngine(model, _tokenizer, new ServingOptions(MaxBatch: 4));
        engine.Register("incidents", incidents);
        engine.Register("recipes", recipes);
        async Task<(string Text, GenerationChunk Last)> Collect(string? adapter)
        {
            var chunks = new List<GenerationChunk>();
            await foreach (var chunk in engine.GenerateAsync(adapter, "Report:", new SamplingParameters(MaxTokens: 10)))
            {
                chunks.Add(chunk);
            }
            return (string.Concat(chunks.Select(c => c.Text)), chunks[^1]);
        }
        var results = await Task.WhenAll(Collect("incidents"), Collect("recipes"), Collect(null), Collect("incidents"));
        Assert.Equal(expected["incidents"], results[0].Text);
        Assert.Equal(expected["recipes"], results[1].Text);
        Assert.Equal(expected["base"], results[2].Text);
        Assert.Equal(expected["incidents"], results[3].Text);
        Assert.All(results, r => Assert.Contains(r.Last.FinishReason, new[] { "stop", "length" }));
        Assert.Equal(_tokenizer.Encode("Report:").Count, results[0].Last.PromptTokens);

        // Unregistered adapters stop being servable; registering again serves the same output.
        Assert.True(engine.Unregister("recipes"));
        await Assert.ThrowsAsync<UnknownAdapterException>(async () => await Collect("recipes"));
        engine.Register("recipes", recipes);
        Assert.Equal(expected["recipes"], (await Collect("recipes")).Text);
    }

    [Fact]
    public async Task Operators_preload_pin_and_evict_and_stats_report_residency()
    {
        using var model = TinyModels.Random(TinyModels.Config(vocab: 50257), seed: 83);
        var one = SyntheticAdapters.Create(model, new LoraSettings(4, 8, 0, LoraSettings.AllTargets), 1, 0.3, "tiny");
        var two = SyntheticAdapters.Create(model, new LoraSettings(4, 8, 0, LoraSettings.AllTargets), 2, 0.3, "tiny");
        var bytes = ResidentAdapter.BytesFor(one, model);
        await using var engine = new ServingEngine(model, _tokenizer, new ServingOptions(MaxBatch: 2, AdapterPoolBytes: bytes));
        engine.Register("one", one);
        engine.Register("two", two);
        Assert.True(await engine.PreloadAsync("one", pin: true));
        // The pinned one keeps the only room, for good: the other is refused by name rather than left waiting.
        await Assert.ThrowsAsync<AdapterTooLargeException>(() => engine.PreloadAsync("two", pin: false));
        Assert.True(await engine.EvictAsync("one"));
        Assert.True(await engine.PreloadAsync("two", pin: false));
        await Task.Delay(100);
        var stats = engine.Stats;
        Assert.Equal(["two"], stats.Resident);
        Assert.Equal(["one", "two"], stats.Registered);
        Assert.Equal(bytes, stats.ResidentBytes);
        await Assert.ThrowsAsync<UnknownAdapterException>(() => engine.PreloadAsync("three", pin: false));

        var tooSmall = new ServingOptions(AdapterPoolBytes: bytes - 1);
        await using var small = new ServingEngine(model, _tokenizer, tooSmall);
        Assert.Throws<AdapterTooLargeException>(() => small.Register("one", one));
    }

    [Fact]
    public async Task A_reader_that_stops_reading_frees_its_row()
    {
        // A long context, so that running to max_tokens would take seconds, far longer than the wait below.
        using var model = TinyModels.Random(TinyModels.Config(vocab: 50257) with { MaxPositionEmbeddings = 8192 }, seed: 84);
        await using var engine = new ServingEngine(model, _tokenizer, new ServingOptions(MaxBatch: 2));
        await foreach (var _ in engine.GenerateAsync(null, "Hello", new SamplingParameters(MaxTokens: 8000)))
        {
            break;      // disposes the enumerator without cancelling any token
        }
        for (var i = 0; i < 25 && engine.Stats.Active + engine.Stats.Waiting > 0; i++)
        {
            await Task.Delay(20);
        }
        Assert.Equal(0, engine.Stats.Active + engine.Stats.Waiting);
    }

    [Fact]
    public async Task A_cancelled_stream_ends_and_bad_parameters_are_refused_before_queueing()
    {
        using var model = TinyModels.Random(TinyModels.Config(vocab: 50257), seed: 82);
        await using var engine = new ServingEngine(model, _tokenizer, new ServingOptions(MaxBatch: 2));
        using var cancel = new CancellationTokenSource();
        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in engine.GenerateAsync(null, "Hello", new SamplingParameters(MaxTokens: 50), cancellation: cancel.Token))
            {
                if (++received == 2)
                {
                    await cancel.CancelAsync();
                }
            }
        });
        Assert.True(received >= 2);
        var error = await Assert.ThrowsAsync<InvalidGenerationException>(async () =>
        {
            await foreach (var _ in engine.GenerateAsync(null, "Hello", new SamplingParameters(MaxTokens: 5, TopP: 0)))
            {
            }
        });
        Assert.Contains("top_p 0", error.Message);

        // The engine still serves after both.
        var after = new List<string>();
        await foreach (var chunk in engine.GenerateAsync(null, "Hello", new SamplingParameters(MaxTokens: 3)))
        {
            after.Add(chunk.Text);
        }
        Assert.NotEmpty(string.Concat(after));
    }
}
