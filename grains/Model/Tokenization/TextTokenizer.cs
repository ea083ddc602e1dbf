using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;
using OpenLedger.Model.Checkpoints;

namespace OpenLedger.Model.Tokenization;

/// <summary>
/// Text to token ids and back, through Microsoft.ML.Tokenizers: GPT-2's byte-level BPE (bundled data) for the
/// grid's own models, or the tokenizer shipped in a Hugging Face checkpoint folder where the library reads it
/// (SentencePiece <c>tokenizer.model</c>, GPT-2-style <c>vocab.json</c> + <c>merges.txt</c>, or a byte-level BPE
/// <c>tokenizer.json</c>).
/// </summary>
public sealed class TextTokenizer
{
    /// <summary>The tokenizer_config.json key that marks a folder as using the bundled GPT-2 tokenizer.</summary>
    public const string MarkerKey = "openledger_tokenizer";

    private const string Gpt2Kind = "gpt2";

    private readonly Tokenizer _tokenizer;

    private TextTokenizer(Tokenizer tokenizer, string kind, int endOfText)
    {
        _tokenizer = tokenizer;
        Kind = kind;
        EndOfText = endOfText;
    }

    /// <summary>Which tokenizer this is: gpt2, sentencepiece or bpe.</summary>
    public string Kind { get; }

    /// <summary>The id that ends a document.</summary>
    public int EndOfText { get; }

    /// <summary>GPT-2's tokenizer (vocabulary of 50,257; &lt;|endoftext|&gt; is 50256).</summary>
    public static TextTokenizer Gpt2() => new(TiktokenTokenizer.CreateForModel("gpt2"), Gpt2Kind, 50256);

    /// <summary>Token ids of <paramref name="text"/>, without special tokens.</summary>
    public IReadOnlyList<int> Encode(string text) => _tokenizer.EncodeToIds(text);

    /// <summary>The text of <paramref name="ids"/>.</summary>
    public string Decode(IEnumerable<int> ids) => _tokenizer.Decode(ids) ?? "";

    /// <summary>Marks <paramref name="folder"/> as using this tokenizer, so <see cref="Load"/> finds it.</summary>
    public void WriteTo(string folder)
    {
        if (Kind != Gpt2Kind)
        {
            return; // A tokenizer read from a folder stays in its original files, copied with the checkpoint.
        }
        var config = new JsonObject
        {
            ["tokenizer_class"] = "GPT2TokenizerFast",
            [MarkerKey] = Gpt2Kind,
            ["eos_token"] = "<|endoftext|>",
            ["bos_token"] = "<|endoftext|>",
            ["model_max_length"] = 1024,
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The tokenizer of a checkpoint folder.</summary>
    public static TextTokenizer Load(string folder, LlamaConfig config)
    {
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        if (File.Exists(configPath) && ReadMarker(configPath) == Gpt2Kind)
        {
            return Gpt2();
        }
        var sentencePiece = Path.Combine(folder, "tokenizer.model");
        if (File.Exists(sentencePiece))
        {
            using var model = File.OpenRead(sentencePiece);
            return new TextTokenizer(LlamaTokenizer.Create(model, addBeginOfSentence: false, addEndOfSentence: false), "sentencepiece", config.EosTokenId);
        }
        var vocab = Path.Combine(folder, "vocab.json");
        var merges = Path.Combine(folder, "merges.txt");
        if (File.Exists(vocab) && File.Exists(merges))
        {
            using var vocabStream = File.OpenRead(vocab);
            using var mergesStream = File.OpenRead(merges);
            try
            {
                return new TextTokenizer(CodeGenTokenizer.Create(vocabStream, mergesStream, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false), "bpe", config.EosTokenId);
            }
            catch (ArgumentException ex)
            {
                throw new CheckpointException(folder, $"vocab.json + merges.txt cannot be read as byte-level BPE ({ex.Message})", "Provide a GPT-2-style byte-level BPE tokenizer.");
            }
        }
        var tokenizerJson = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(tokenizerJson))
        {
            return FromTokenizerJson(File.ReadAllText(tokenizerJson), tokenizerJson, config);
        }
        throw new CheckpointException(folder, "has no tokenizer this library reads (tokenizer.model, vocab.json + merges.txt, or a BPE tokenizer.json)",
            "Add the checkpoint's tokenizer files, or use the bundled GPT-2 tokenizer by adding tokenizer_config.json with \"openledger_tokenizer\": \"gpt2\".");
    }

    private static string? ReadMarker(string path)
    {
        try
        {
            return (CheckpointJson.Parse(File.ReadAllText(path)) as JsonObject)?[MarkerKey] is JsonValue v && v.TryGetValue<string>(out var kind) ? kind : null;
        }
        catch (JsonException ex)
        {
            throw new CheckpointException(path, $"is not valid JSON ({ex.Message})", "Fix or remove tokenizer_config.json.");
        }
    }

    /// <summary>
    /// Reads a byte-level BPE <c>tokenizer.json</c>'s text (<paramref name="source"/> names it in errors); throws a
    /// <see cref="CheckpointException"/> for anything else. Its vocabulary and merges are the same as vocab.json + merges.txt.
    /// </summary>
    public static TextTokenizer FromTokenizerJson(string json, string source, LlamaConfig config)
    {
        JsonNode? root;
        try
        {
            root = CheckpointJson.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new CheckpointException(source, $"is not valid JSON ({ex.Message})", "Provide the checkpoint's tokenizer.json unchanged.");
        }
        // Indexing a node that is not an object throws, so every level is checked for being one first.
        var model = (root as JsonObject)?["model"] as JsonObject;
        if (model?["type"] is not JsonValue type || !type.TryGetValue<string>(out var kind) || kind != "BPE"
            || model["vocab"] is not JsonObject vocab || model["merges"] is not JsonArray merges)
        {
            throw new CheckpointException(source, "is not a BPE tokenizer.json", "Provide tokenizer.model or vocab.json + merges.txt instead.");
        }
        // Only byte-level BPE (GPT-2 style) maps onto the library's reader; SentencePiece-style BPE (Metaspace, byte
        // fallback) would split text differently from the model's training.
        if (root!["pre_tokenizer"]?.ToJsonString().Contains("\"ByteLevel\"", StringComparison.Ordinal) != true)
        {
            throw new CheckpointException(source, "is a BPE tokenizer.json without a ByteLevel pre-tokenizer (SentencePiece-style)",
                "Provide the checkpoint's tokenizer.model, which the SentencePiece reader handles.");
        }
        var ids = ReadVocabulary(vocab, source, config);
        var missing = ByteLevelAlphabet.Symbols.FirstOrDefault(symbol => !ids.ContainsKey(symbol.ToString()));
        if (missing != default)
        {
            throw new CheckpointException(source, $"has no token for the byte-level symbol '{missing}' (byte 0x{ByteLevelAlphabet.ByteOf(missing):x2}); byte-level BPE needs all 256",
                "Provide the checkpoint's tokenizer.json unchanged, or its vocab.json + merges.txt.");
        }
        var mergeLines = new StringBuilder("#version: 0.2\n");
        for (var i = 0; i < merges.Count; i++)
        {
            // Newer files store each merge as a pair, older ones as "a b".
            var merge = merges[i] switch
            {
                JsonArray { Count: 2 } pair when pair[0] is JsonValue a && a.TryGetValue<string>(out var left) && pair[1] is JsonValue b && b.TryGetValue<string>(out var right) => (left, right),
                JsonValue line when line.TryGetValue<string>(out var text) && text.Split(' ') is [var left, var right] => (left, right),
                _ => throw new CheckpointException(source, $"merge {i} is {Shorten(merges[i]?.ToJsonString() ?? "null")}, not a pair of tokens", "Provide the checkpoint's tokenizer.json unchanged."),
            };
            if (merge.left.Length == 0 || merge.right.Length == 0 || merge.left.Contains('\n') || merge.right.Contains('\n'))
            {
                throw new CheckpointException(source, $"merge {i} has an empty or multi-line token", "Provide the checkpoint's tokenizer.json unchanged.");
            }
            mergeLines.Append(merge.left).Append(' ').Append(merge.right).Append('\n');
        }
        // The library's byte-level BPE insists on an unknown token in the vocabulary, though byte-level BPE can never
        // produce one; give it GPT-2's name at a fresh id when the file has none.
        if (!ids.ContainsKey("<|endoftext|>"))
        {
            vocab = (JsonObject)vocab.DeepClone();
            var next = ids.Values.Max() + 1;
            if (next >= config.VocabSize)
            {
                throw new CheckpointException(source, "has no <|endoftext|> token and no free id for one below vocab_size",
                    "Provide vocab.json + merges.txt or tokenizer.model instead.");
            }
            vocab["<|endoftext|>"] = next;
        }
        using var vocabStream = new MemoryStream(Encoding.UTF8.GetBytes(vocab.ToJsonString()));
        using var mergesStream = new MemoryStream(Encoding.UTF8.GetBytes(mergeLines.ToString()));
        try
        {
            return new TextTokenizer(CodeGenTokenizer.Create(vocabStream, mergesStream, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false), "bpe", config.EosTokenId);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException or IOException)
        {
            throw new CheckpointException(source, $"cannot be read as byte-level BPE ({ex.Message})", "Provide the checkpoint's tokenizer.json unchanged.");
        }
    }

    // Token ids, each a whole number the model has a row for: an id past vocab_size would fail only when served.
    private static Dictionary<string, int> ReadVocabulary(JsonObject vocab, string source, LlamaConfig config)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, value) in vocab)
        {
            if (value is not JsonValue number || !number.TryGetValue<int>(out var id) || id < 0 || id >= config.VocabSize)
            {
                throw new CheckpointException(source, $"gives token '{Shorten(token)}' the id {Shorten(value?.ToJsonString() ?? "null")}, not a whole number from 0 to vocab_size - 1 ({config.VocabSize - 1})",
                    "Use the tokenizer.json that came with the checkpoint's config.json.");
            }
            ids[token] = id;
        }
        return ids;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
