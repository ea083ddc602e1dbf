using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using OpenLedger.Model.Tokenization;

namespace OpenLedger.Model.Tests;

/// <summary>Requests for different adapters, with different prompt lengths, decoded together in one batch.</summary>
public sealed class ContinuousBatchTests
{
    [Fact]
    public void Batched_decoding_gives_each_request_the_tokens_it_gets_alone()
    {
        var tokenizer = TextTokenizer.Gpt2();
        using var model = TinyModels.Random(TinyModels.Config(vocab: 50257), seed: 71);
        var adapters = new[]
        {
            SyntheticAdapters.Create(model, new LoraSettings(4, 8, 0, LoraSettings.AllTargets), 1, 0.3, "tiny"),
            SyntheticAdapters.Create(model, new LoraSettings(8, 8, 0, ["q_proj", "v_proj"]), 2, 0.3, "tiny"),
        };
        (string Prompt, long Slot, int MaxTokens)[] requests =
        [
            ("The weather at the harbour was", 1, 10),
            ("Notes", 2, 6),
            ("To make lentil soup, start with onions and", 0, 8),
            ("Dear Ana, thank you", 1, 12),
        ];

        var stacks = AdapterStack.ForModel(model, adapters);
        List<ContinuousBatch.Sequence> sequences;
        using (var batch = new ContinuousBatch(model, stacks, tokenizer, maxBatch: 3))
        {
            sequences = requests.Select(r => batch.Submit(r.Prompt, r.Slot, new SamplingParameters(MaxTokens: r.MaxTokens))).ToList();
            var steps = 0;
            while (batch.Step())
            {
                Assert.True(batch.Active <= 3);
                steps++;
            }
            Assert.True(steps < requests.Sum(r => r.MaxTokens), "requests should have shared steps");
        }
        foreach (var stack in stacks.Values)
        {
            stack.Dispose();
        }

        for (var i = 0; i < requests.Length; i++)
        {
            var (prompt, slot, maxTokens) = requests[i];
            if (slot > 0)
            {
                adapters[slot - 1].ApplyTo(model);
            }
            var alone = string.Concat(TextGeneration.Generate(model, tokenizer, prompt, new SamplingParameters(MaxTokens: maxTokens)));
            LoraAttachment.DetachAll(model);
            Assert.True(sequences[i].Finished);
            Assert.Equal(alone, sequences[i].Text);
            Assert.Equal(sequences[i].Tokens.Count == maxTokens ? "length" : "stop", sequences[i].FinishReason);
        }
    }
}
