namespace OpenLedger.Models;

/// <summary>Which files a base model folder may hold: HF config, safetensors weights and tokenizer files.</summary>
public static class CheckpointFiles
{
    private static readonly HashSet<string> _named =
    [
        "config.json", "generation_config.json", "model.safetensors", "model.safetensors.index.json",
        "tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt",
    ];

    /// <summary>Whether <paramref name="name"/> is a pickled PyTorch file, which an import refuses by name.</summary>
    public static bool IsPickle(string name) =>
        name.EndsWith(".bin", StringComparison.Ordinal) || name.EndsWith(".pt", StringComparison.Ordinal) || name.EndsWith(".pth", StringComparison.Ordinal);

    /// <summary>Null when <paramref name="name"/> may be imported, else why not.</summary>
    public static string? Refusal(string name)
    {
        if (_named.Contains(name) || (name.StartsWith("model-", StringComparison.Ordinal) && name.EndsWith(".safetensors", StringComparison.Ordinal) && !name.Contains('/')))
        {
            return null;
        }
        if (IsPickle(name))
        {
            return $"'{name}' is a pickled PyTorch file; convert the checkpoint to safetensors first (pickles can run code when loaded).";
        }
        return $"'{name}' is not part of a Hugging Face checkpoint (config, safetensors weights, tokenizer files).";
    }
}
