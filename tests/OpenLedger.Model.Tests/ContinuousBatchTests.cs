using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using OpenLedger.Model.Tokenization;

namespace OpenLedger.Model.Tests;

/// <summary>Requests for different adapters, with different prompt lengths, decoded together in one batch.</summary>
public sealed class ContinuousBatchTests : IDisposable
{
    private static readonly TextTokenizer _tokenizer = TextTokenizer.Gpt2();
    private readonly LlamaModel _model = TinyModels.Random(TinyModels.Config(vocab: 50257), seed: 71);
    private readonly Dictionary<string, PeftAdapter> _adapters = [];

    public ContinuousBatchTests()
    {
        int[] ranks = [8, 16, 32, 64];
        for (var i = 0; i < ranks.Length; i++)
        {
            var targets = i % 2 == 0 ? LoraSettings.AllTargets : ["q_proj", "v_proj", "down_proj"];
            _adapters[$"rank{ranks[i]}"] = SyntheticAdapters.Create(_model, new LoraSettings(ranks[i], 16, 0, targets), i + 1, 0.05, "tiny");
        }
    }

    private static (string Prompt, string? Adapter, int MaxTokens)[] Requests =>
    [
        ("The weather at the harbour was", "rank8", 10),
        ("Notes", "rank16", 6),
        ("To make lentil soup, start with onions and", null, 8),
        ("Dear Ana, thank you", "rank64", 12),
        ("Inventory count for aisle four:", "rank32", 9),
        ("Dear Ana, thank you", "rank8", 7),
    ];

    [Fact]
    public void Batched_decoding_gives_each_request_the_greedy_tokens_of_its_merged_model_alone()
    {
        using var pool = new ResidentPool(256L << 20);
        var sequences = Run(pool, maxBatch: 3, out var steps);
        Assert.True(steps < Requests.Sum(r => r.MaxTokens), "requests should have shared steps");
        AssertEachMatchesItsMergedModel(sequences);
    }

    [Fact]
    public void A_pool_with_room_for_one_adapter_evicts_and_reloads_and_outputs_stay_identical()
    {
        // Room for the largest adapter only: every switch evicts, nothing fails, nothing exceeds the budget.
        var budget = _adapters.Values.Max(a => ResidentAdapter.BytesFor(a, _model));
        using var pool = new ResidentPool(budget);
        var sequences = Run(pool, maxBatch: 4, out _, afterStep: () => Assert.True(pool.ResidentBytes <= budget));
        Assert.True(pool.Evictions >= 3, $"expected evictions, got {pool.Evictions}");
        Assert.All(sequences, s => Assert.Null(s.Failure));
        AssertEachMatchesItsMergedModel(sequences);
    }

    [Fact]
    public void A_seeded_sampled_request_draws_the_same_tokens_alone_or_in_a_mixed_batch()
    {
        var sampled = new SamplingParameters(MaxTokens: 10, Temperature: 0.9, TopP: 0.9, Seed: 5);
        using var pool = new ResidentPool(256L << 20);
        List<int> Run(bool crowded)
        {
            using var batch = new ContinuousBatch(_model, _tokenizer, pool, id => _adapters.GetValueOrDefault(id), maxBatch: 4);
            if (crowded)
            {
                batch.Submit("Other traffic", "rank16", new SamplingParameters(MaxTokens: 7, Temperature: 1.2, Seed: 9));
                batch.Submit("Greedy neighbour", "rank64", new SamplingParameters(MaxTokens: 12));
            }
            var sequence = batch.Submit("Dear Ana, thank you", "rank8", sampled);
            while (batch.Step())
            {
            }
            return sequence.Tokens;
        }
        var alone = Run(crowded: false);
        Assert.Equal(alone, Run(crowded: true));
        Assert.NotEmpty(alone);
    }

    [Fact]
    public void A_hot_adapter_does_not_starve_the_others()
    {
        using var pool = new ResidentPool(256L << 20);
        using var batch = new ContinuousBatch(_model, _tokenizer, pool, id => _adapters.GetValueOrDefault(id), maxBatch: 2);
        var hot = Enumerable.Range(0, 20).Select(_ => batch.Submit("Hot", "rank8", new SamplingParameters(MaxTokens: 4))).ToList();
        var cold = new[] { "rank16", "rank32", "rank64" }.Select(id => batch.Submit("Cold", id, new SamplingParameters(MaxTokens: 4))).ToList();
        while (cold.Any(s => !s.Finished))
        {
            Assert.True(batch.Step());
        }
        // Queues take turns, so the three cold requests finish while most of the twenty hot ones still wait.
        Assert.True(hot.Count(s => s.Finished) <= 6, $"{hot.Count(s => s.Finished)} hot requests finished before the cold ones");
        while (batch.Step())
        {
        }
        Assert.All(hot, s => Assert.Equal("length", s.FinishReason));
    }

    [Fact]
    public void Deadlines_cancellation_and_unknown_adapters_end_requests_without_disturbing_others()
    {
        using var pool = new ResidentPool(256L << 20);
        using var batch = new ContinuousBatch(_model, _tokenizer, pool, id => _adapters.GetValueOrDefault(id), maxBatch: 1);
        var running = batch.Submit("Long one", "rank8", new SamplingParameters(MaxTokens: 20));
        var late = batch.Submit("Late", "rank16", new SamplingParameters(MaxTokens: 5), timeout: TimeSpan.FromMilliseconds(1));
        var cancelled = batch.Submit("Cancelled", "rank32", new SamplingParameters(MaxTokens: 5));
        var unknown = batch.Submit("Nobody", "no-such-adapter", new SamplingParameters(MaxTokens: 5));
        cancelled.Cancel();
        Thread.Sleep(5);
        while (batch.Step())
        {
        }
        Assert.Equal("length", running.FinishReason);
        Assert.Equal("deadline", late.FinishReason);
        Assert.IsType<DeadlineExceededException>(late.Failure);
        Assert.Equal("cancelled", cancelled.FinishReason);
        Assert.Equal("error", unknown.FinishReason);
        Assert.IsType<UnknownAdapterException>(unknown.Failure);
        Assert.Equal(0, batch.Waiting);
    }

    [Fact]
    public void Bad_sampling_parameters_and_over_long_prompts_are_refused_by_name_before_queueing()
    {
        using var pool = new ResidentPool(1);
        using var batch = new ContinuousBatch(_model, _tokenizer, pool, _ => null, maxBatch: 1);
        var cases = new (SamplingParameters Parameters, string Prompt, string Param, string Code)[]
        {
            (new(MaxTokens: 0), "Hi", "max_tokens", "invalid_value"),
            (new(Temperature: 3), "Hi", "temperature", "invalid_value"),
            (new(TopP: 0), "Hi", "top_p", "invalid_value"),
            (new(Stop: ["a", "b", "c", "d", "e"]), "Hi", "stop", "invalid_value"),
            (new(MaxTokens: 4), string.Concat(Enumerable.Repeat("word ", 80)), "prompt", "context_length_exceeded"),
            (new(MaxTokens: 63), "Hi there", "max_tokens", "context_length_exceeded"),
        };
        foreach (var (parameters, prompt, param, code) in cases)
        {
            var error = Assert.Throws<InvalidGenerationException>(() => batch.Submit(prompt, null, parameters));
            Assert.Equal(param, error.Parameter);
            Assert.Equal(code, error.Code);
        }
        Assert.Equal(0, batch.Waiting);
    }

    public void Dispose() => _model.Dispose();

    private List<ContinuousBatch.Sequence> Run(ResidentPool pool, int maxBatch, out int steps, Action? afterStep = null)
    {
        using var batch = new ContinuousBatch(_model, _tokenizer, pool, id => _adapters.GetValueOrDefault(id), maxBatch);
        var sequences = Requests.Select(r => batch.Submit(r.Prompt, r.Adapter, new SamplingParameters(MaxTokens: r.MaxTokens))).ToList();
        steps = 0;
        while (batch.Step())
        {
            Assert.True(batch.Active <= maxBatch);
            afterStep?.Invoke();
            steps++;
        }
        return sequences;
    }

    private void AssertEachMatchesItsMergedModel(List<ContinuousBatch.Sequence> sequences)
    {
        for (var i = 0; i < Requests.Length; i++)
        {
            var (prompt, adapter, maxTokens) = Requests[i];
            var alone = LoraAttachment.WithMerged(_model, adapter is null ? null : _adapters[adapter], () =>
            {
                using var solo = new ResidentPool(1);
                using var batch = new ContinuousBatch(_model, _tokenizer, solo, _ => null, maxBatch: 1);
                var sequence = batch.Submit(prompt, null, new SamplingParameters(MaxTokens: maxTokens));
                while (batch.Step())
                {
                }
                return sequence;
            });
            Assert.True(sequences[i].Finished);
            Assert.Equal(alone.Tokens, sequences[i].Tokens);
            Assert.Equal(alone.Text, sequences[i].Text);
            Assert.Equal(sequences[i].Tokens.Count == maxTokens ? "length" : "stop", sequences[i].FinishReason);
        }
    }
}
