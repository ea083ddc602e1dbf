using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using static TorchSharp.torch;

namespace OpenLedger.Model.Tests;

/// <summary>
/// Many adapters of mixed ranks in one batch: every row must equal that row run alone on the model with its own
/// adapter merged (or on the base model when it has none).
/// </summary>
public sealed class BatchedAdapterTests
{
    [Fact]
    public void A_mixed_rank_batch_equals_each_row_on_its_merged_model()
    {
        var config = TinyModels.Config();
        using var model = TinyModels.Random(config, seed: 51);
        var adapters = new[]
        {
            SyntheticAdapters.Create(model, new LoraSettings(2, 4, 0, ["q_proj", "v_proj"]), 1, 0.2, "tiny"),
            SyntheticAdapters.Create(model, new LoraSettings(8, 16, 0, LoraSettings.AllTargets), 2, 0.2, "tiny"),
            SyntheticAdapters.Create(model, new LoraSettings(4, 4, 0, ["o_proj", "down_proj"], UseRslora: true), 3, 0.2, "tiny"),
        };
        long[][] prompts = [[3, 9, 1, 4, 7], [2, 2, 8, 5, 1], [6, 0, 3, 3, 9], [1, 4, 1, 5, 9]];
        long[] slots = [1, 2, 0, 3]; // row 2 has no adapter

        var stacks = AdapterStack.ForModel(model, adapters);
        float[] batched;
        using (no_grad())
        using (var tokens = TinyModels.Tokens(prompts))
        using (var slotTensor = tensor(slots))
        using (model.ServeAdapters(stacks, slotTensor))
        {
            batched = TinyModels.Values(model.forward(tokens));
        }
        foreach (var stack in stacks.Values)
        {
            stack.Dispose();
        }

        var perRow = prompts[0].Length * config.VocabSize;
        for (var row = 0; row < prompts.Length; row++)
        {
            float[] alone;
            using (no_grad())
            {
                if (slots[row] > 0)
                {
                    adapters[slots[row] - 1].ApplyTo(model);
                    LoraAttachment.MergeAll(model);
                    LoraAttachment.DetachAll(model);
                }
                alone = TinyModels.Values(model.forward(TinyModels.Tokens(prompts[row])));
                if (slots[row] > 0)
                {
                    adapters[slots[row] - 1].ApplyTo(model);
                    LoraAttachment.UnmergeAll(model);
                    LoraAttachment.DetachAll(model);
                }
            }
            TinyModels.AssertClose(alone, batched[(row * perRow)..((row + 1) * perRow)], 1e-4, $"row {row}");
        }
    }
}
