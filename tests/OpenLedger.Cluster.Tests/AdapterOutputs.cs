using OpenLedger.Model;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using OpenLedger.Model.Tokenization;
using OpenLedger.Serving;

namespace OpenLedger.Cluster.Tests;

/// <summary>What an adapter should say, computed apart from the grid, and what a served adapter did say.</summary>
public static class AdapterOutputs
{
    /// <summary>The prompt the serving tests ask with.</summary>
    public const string Prompt = "Incident report: the forklift in aisle";

    /// <summary>The reference: the base model with the adapter's weights merged in, generating on its own.</summary>
    public static string Merged(LlamaModel model, TextTokenizer tokenizer, PeftAdapter adapter, SamplingParameters parameters, string prompt = Prompt) =>
        LoraAttachment.WithMerged(model, adapter, () => string.Concat(TextGeneration.Generate(model, tokenizer, prompt, parameters)));

    /// <summary>The whole text an adapter grain streams for <paramref name="prompt"/>.</summary>
    public static async Task<string> CollectAsync(IAdapterGrain adapter, SamplingParameters p, string prompt = Prompt)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var chunk in adapter.Generate(new CompletionRequest(prompt, p.MaxTokens, p.Temperature, p.TopP, p.Seed, p.Stop)))
        {
            text.Append(chunk.Text);
        }
        return text.ToString();
    }
}
