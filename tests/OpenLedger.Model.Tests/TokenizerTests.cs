using System.Text.Json.Nodes;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Tokenization;

namespace OpenLedger.Model.Tests;

public sealed class TokenizerTests
{
    [Fact]
    public void Gpt2_tokenizer_gives_gpt2_ids_and_decodes_back()
    {
        var tokenizer = TextTokenizer.Gpt2();
        Assert.Equal([15496, 995, 0], tokenizer.Encode("Hello world!"));
        Assert.Equal(50256, tokenizer.EndOfText);
        const string text = "severity: 4\nsummary: Web shells were dropped after exploitation.";
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Our_checkpoint_folders_name_their_tokenizer()
    {
        var folder = TinyModels.TempFolder();
        TextTokenizer.Gpt2().WriteTo(folder);
        Assert.Equal("gpt2", TextTokenizer.Load(folder, TinyModels.Config()).Kind);
    }

    [Fact]
    public void A_byte_level_bpe_from_vocab_and_merges_or_tokenizer_json_is_read_from_the_folder()
    {
        var vocab = new JsonObject { ["l"] = 0, ["o"] = 1, ["w"] = 2, ["lo"] = 3, ["low"] = 4, ["Ġ"] = 5, ["Ġlow"] = 6, ["<|endoftext|>"] = 7 };
        string[] merges = ["l o", "lo w", "Ġ low"];
        var folder = TinyModels.TempFolder();
        File.WriteAllText(Path.Combine(folder, "vocab.json"), vocab.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join("\n", merges) + "\n");
        var fromFiles = TextTokenizer.Load(folder, TinyModels.Config());
        Assert.Equal([4, 6], fromFiles.Encode("low low"));

        var jsonFolder = TinyModels.TempFolder();
        var tokenizerJson = new JsonObject
        {
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false },
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab.DeepClone(), ["merges"] = new JsonArray(merges.Select(m => (JsonNode)m).ToArray()) },
        };
        var jsonVocab = (JsonObject)tokenizerJson["model"]!["vocab"]!;
        jsonVocab.Remove("<|endoftext|>");
        // Without every byte's symbol some text could not be encoded at all: refused, naming the first missing.
        File.WriteAllText(Path.Combine(jsonFolder, "tokenizer.json"), tokenizerJson.ToJsonString());
        var partial = Assert.Throws<CheckpointException>(() => TextTokenizer.Load(jsonFolder, TinyModels.Config(vocab: 512)));
        Assert.Contains("byte 0x00", partial.Message);
        foreach (var symbol in ByteLevelAlphabet.Symbols.Where(s => !jsonVocab.ContainsKey(s.ToString())))
        {
            jsonVocab[symbol.ToString()] = jsonVocab.Count;
        }
        File.WriteAllText(Path.Combine(jsonFolder, "tokenizer.json"), tokenizerJson.ToJsonString());
        Assert.Equal([4, 6], TextTokenizer.Load(jsonFolder, TinyModels.Config(vocab: 512)).Encode("low low"));

        // SentencePiece-style BPE would split text differently: refused, pointing at tokenizer.model.
        tokenizerJson["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁" };
        File.WriteAllText(Path.Combine(jsonFolder, "tokenizer.json"), tokenizerJson.ToJsonString());
        var metaspace = Assert.Throws<CheckpointException>(() => TextTokenizer.Load(jsonFolder, TinyModels.Config(vocab: 512)));
        Assert.Contains("tokenizer.model", metaspace.Message);
    }

    [Fact]
    public void A_folder_without_a_tokenizer_says_what_to_add()
    {
        var error = Assert.Throws<CheckpointException>(() => TextTokenizer.Load(TinyModels.TempFolder(), TinyModels.Config()));
        Assert.Contains("tokenizer.model, vocab.json + merges.txt", error.Message);
    }
}
