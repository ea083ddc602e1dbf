namespace OpenLedger.Model.Pretraining;

/// <summary>
/// The named base model shapes the grid can build and pretrain itself. All use GPT-2's tokenizer (vocabulary
/// 50,257), tied embeddings and grouped-query attention.
/// </summary>
public static class BaseModelSizes
{
    private const int Gpt2Vocabulary = 50257;

    /// <summary>Size names, smallest first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tiny", "small", "base"];

    /// <summary>The config for <paramref name="name"/>.</summary>
    public static LlamaConfig Get(string name) => name switch
    {
        "tiny" => Shape(hidden: 64, layers: 2, heads: 4, kvHeads: 2, intermediate: 172),
        "small" => Shape(hidden: 128, layers: 4, heads: 4, kvHeads: 2, intermediate: 344),
        "base" => Shape(hidden: 256, layers: 6, heads: 8, kvHeads: 4, intermediate: 688),
        _ => throw new ArgumentException($"Unknown base model size '{name}'; choose one of {string.Join(", ", Names)}."),
    };

    private static LlamaConfig Shape(int hidden, int layers, int heads, int kvHeads, int intermediate) => new()
    {
        VocabSize = Gpt2Vocabulary,
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeads = kvHeads,
        MaxPositionEmbeddings = 1024,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        TieWordEmbeddings = true,
        BosTokenId = 50256,
        EosTokenId = 50256,
    };
}
