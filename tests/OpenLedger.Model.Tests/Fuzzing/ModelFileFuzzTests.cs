using System.Text;
using System.Text.Json.Nodes;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Tokenization;
using OpenLedger.Testing.Fuzzing;
using static TorchSharp.torch;

namespace OpenLedger.Model.Tests.Fuzzing;

/// <summary>
/// The model files that come from outside, fuzzed from valid seeds: safetensors (every accepted file's tensors are
/// loaded), config.json, a PEFT adapter's adapter_config.json and adapter_model.safetensors (checked against a tiny base
/// model and its factors loaded), and a byte-level BPE tokenizer.json (an accepted one encodes and decodes text). Each
/// mutant is taken or refused with a <see cref="CheckpointException"/> naming the problem; nothing else may escape, and
/// nothing may hang.
/// </summary>
public sealed class ModelFileFuzzTests
{
    private static readonly LoraSettings _lora = new(Rank: 2, Alpha: 4, Dropout: 0, TargetModules: ["q_proj", "v_proj"]);

    public static TheoryData<string> Parsers => ["safetensors", "config.json", "adapter_config.json", "adapter_model.safetensors", "tokenizer.json"];

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Model_files_are_loaded_or_refused_with_a_checkpoint_error(string parser) => Run(parser, seed: 1301, mutants: 2_500, longRun: false);

    [Theory]
    [MemberData(nameof(Parsers))]
    [Trait("Category", "Long")]
    public void Model_files_are_loaded_or_refused_with_a_checkpoint_error_long(string parser) => Run(parser, seed: 2301, mutants: 250_000, longRun: true);

    private static void Run(string parser, int seed, int mutants, bool longRun)
    {
        using var model = TinyModels.Random(TinyModels.Config(), seed: 31);
        var adapter = Adapter(model);
        var json = new JsonMutator(longestText: 20_000);
        var bytes = new ByteMutator(longestText: 20_000, deepestNesting: 2_000);
        var safetensors = new LengthPrefixedJsonMutator(json, bytes);
        var (seeds, mutator, target) = parser switch
        {
            "safetensors" => (SafetensorsSeeds(), (IMutator)safetensors, (Func<byte[], FuzzVerdict>)LoadEveryTensor),
            "config.json" => (ConfigSeeds(), json, input => Verdict(LlamaConfig.Parse(Text(input), "config.json"))),
            "adapter_config.json" => ([Encoding.UTF8.GetBytes(adapter.ConfigJson), PatternConfig(adapter.ConfigJson)], json,
                input => ApplyAdapter(model, PeftAdapter.Parse(Text(input), adapter.Weights, "adapter"))),
            "adapter_model.safetensors" => ([adapter.Weights], safetensors,
                input => ApplyAdapter(model, PeftAdapter.Parse(adapter.ConfigJson, input, "adapter"))),
            "tokenizer.json" => (TokenizerSeeds(), json, input => Tokenize(TextTokenizer.FromTokenizerJson(Text(input), "tokenizer.json", TinyModels.Config(vocab: 512)))),
            _ => throw new ArgumentOutOfRangeException(nameof(parser), parser, "no such parser"),
        };
        var campaign = new FuzzCampaign($"model/{parser}", seed, mutants, TimeSpan.FromSeconds(10), mutator, seeds, typeof(CheckpointException));
        var tally = campaign.Run(target);
        FuzzReport.Record(tally, longRun);
        tally.AssertNoDefects();
        Assert.True(tally.Accepted > 0 && tally.Refused.Values.Sum() > 0, $"accepted {tally.Accepted}, refused {tally.Refused.Values.Sum()}");
    }

    private static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    private static FuzzVerdict Verdict(object _) => FuzzVerdict.Accept;

    // Reading every tensor of an accepted file is where a header that lies about shapes would show.
    private static FuzzVerdict LoadEveryTensor(byte[] input)
    {
        var file = SafetensorsFile.Parse(input, "fuzz.safetensors");
        foreach (var name in file.Names)
        {
            using var tensor = file.Load(name);
            Assert.Equal(file.Shape(name), tensor.shape);
        }
        return FuzzVerdict.Accept;
    }

    private static FuzzVerdict ApplyAdapter(LlamaModel model, PeftAdapter adapter)
    {
        adapter.CheckFits(model);
        foreach (var (a, b, _) in adapter.Factors(model).Values)
        {
            a.Dispose();
            b.Dispose();
        }
        return FuzzVerdict.Accept;
    }

    private static FuzzVerdict Tokenize(TextTokenizer tokenizer)
    {
        var ids = tokenizer.Encode("low lower lowest, low!");
        _ = tokenizer.Decode(ids);
        return FuzzVerdict.Accept;
    }

    // PEFT also takes target_modules as a regular expression over module paths; backtracking patterns must not hang.
    private static byte[] PatternConfig(string configJson)
    {
        var config = JsonNode.Parse(configJson)!.AsObject();
        config["target_modules"] = "(.*\\.)*(q|v)_proj";
        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }

    private static PeftAdapter Adapter(LlamaModel model)
    {
        LoraAttachment.AttachFresh(model, _lora, seed: 3, dropoutGenerator: null);
        var adapter = PeftAdapter.Capture(model, _lora, "tiny-base");
        LoraAttachment.DetachAll(model);
        return adapter;
    }

    private static byte[][] SafetensorsSeeds()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["model.embed_tokens.weight"] = arange(12, dtype: ScalarType.Float32).reshape(3, 4),
            ["model.norm.weight"] = ones(4, dtype: ScalarType.Float16),
            ["lm_head.weight"] = full(new long[] { 2, 2 }, 0.5, dtype: ScalarType.BFloat16),
            ["empty"] = zeros(0, dtype: ScalarType.Float32),
        };
        using var one = new MemoryStream();
        SafetensorsFile.Write(one, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        using var two = new MemoryStream();
        SafetensorsFile.Write(two, tensors.Take(1));
        return [one.ToArray(), two.ToArray()];
    }

    private static byte[][] ConfigSeeds()
    {
        var plain = TinyModels.Config().ToJson();
        var scaled = (TinyModels.Config(tied: true) with { RopeScaling = new RopeScaling(8, 1, 4, 8192), TorchDtype = "bfloat16" }).ToJson();
        var listed = JsonNode.Parse(plain)!.AsObject();
        listed["eos_token_id"] = new JsonArray(1, 2);
        listed.Remove("head_dim");
        return [Encoding.UTF8.GetBytes(plain), Encoding.UTF8.GetBytes(scaled), Encoding.UTF8.GetBytes(listed.ToJsonString())];
    }

    private static byte[][] TokenizerSeeds()
    {
        // Every byte's symbol first, as byte-level BPE needs, then the merged tokens.
        var vocab = new JsonObject();
        foreach (var symbol in ByteLevelAlphabet.Symbols)
        {
            vocab[symbol.ToString()] = vocab.Count;
        }
        foreach (var token in new[] { "lo", "low", "Ġlow", "er" })
        {
            vocab[token] = vocab.Count;
        }
        JsonObject Tokenizer(JsonNode merges) => new()
        {
            ["version"] = "1.0",
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true },
            ["model"] = new JsonObject { ["type"] = "BPE", ["dropout"] = null, ["vocab"] = vocab.DeepClone(), ["merges"] = merges },
        };
        var pairs = Tokenizer(new JsonArray(new JsonArray("l", "o"), new JsonArray("lo", "w"), new JsonArray("Ġ", "low"), new JsonArray("e", "r")));
        var lines = Tokenizer(new JsonArray("l o", "lo w", "Ġ low", "e r"));
        return [Encoding.UTF8.GetBytes(pairs.ToJsonString()), Encoding.UTF8.GetBytes(lines.ToJsonString())];
    }
}
