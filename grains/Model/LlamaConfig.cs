using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Model.Checkpoints;

namespace OpenLedger.Model;

/// <summary>
/// The shape of a Llama-family decoder, read from and written to a Hugging Face <c>config.json</c> with its key
/// names (<c>hidden_size</c>, <c>num_key_value_heads</c>, ...).
/// </summary>
public sealed record LlamaConfig
{
    /// <summary>Tokens in the vocabulary (rows of <c>embed_tokens</c>).</summary>
    public required int VocabSize { get; init; }

    /// <summary>Width of the residual stream.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Width of the SwiGLU hidden layer.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Number of decoder layers.</summary>
    public required int NumHiddenLayers { get; init; }

    /// <summary>Query heads.</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary>Key/value heads; fewer than query heads means grouped-query attention.</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Width of one head; HF defaults it to hidden_size / num_attention_heads.</summary>
    public int HeadDim { get; init; }

    /// <summary>Longest sequence the model was built for.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>Epsilon of every RMSNorm.</summary>
    public double RmsNormEps { get; init; } = 1e-6;

    /// <summary>Base of the rotary frequencies.</summary>
    public double RopeTheta { get; init; } = 10000;

    /// <summary>Llama 3.1-style frequency scaling, or null for none.</summary>
    public RopeScaling? RopeScaling { get; init; }

    /// <summary>Whether <c>lm_head</c> shares the embedding matrix (and is then absent from the checkpoint).</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Beginning-of-sequence token id.</summary>
    public int BosTokenId { get; init; }

    /// <summary>End-of-sequence token id (the first, where the config lists several).</summary>
    public int EosTokenId { get; init; }

    /// <summary>The dtype the weights are stored in: float32, float16 or bfloat16.</summary>
    public string TorchDtype { get; init; } = "float32";

    /// <summary>Head width actually used (explicit head_dim, else hidden / heads).</summary>
    public int EffectiveHeadDim => HeadDim > 0 ? HeadDim : HiddenSize / NumAttentionHeads;

    /// <summary>Throws a <see cref="CheckpointException"/> naming the first inconsistent value.</summary>
    public void Validate(string source)
    {
        void Require(bool ok, string problem)
        {
            if (!ok)
            {
                throw new CheckpointException(source, problem, "Fix config.json so it describes the checkpoint's tensors.");
            }
        }

        Require(VocabSize > 0, $"vocab_size must be positive, got {VocabSize}");
        Require(HiddenSize > 0, $"hidden_size must be positive, got {HiddenSize}");
        Require(IntermediateSize > 0, $"intermediate_size must be positive, got {IntermediateSize}");
        Require(NumHiddenLayers > 0, $"num_hidden_layers must be positive, got {NumHiddenLayers}");
        Require(NumAttentionHeads > 0, $"num_attention_heads must be positive, got {NumAttentionHeads}");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0,
            $"num_attention_heads ({NumAttentionHeads}) must be a multiple of num_key_value_heads ({NumKeyValueHeads})");
        Require(HeadDim > 0 || HiddenSize % NumAttentionHeads == 0,
            $"hidden_size ({HiddenSize}) must be a multiple of num_attention_heads ({NumAttentionHeads}) when head_dim is not set");
        Require(EffectiveHeadDim % 2 == 0, $"head_dim must be even for rotary embeddings, got {EffectiveHeadDim}");
        Require(TensorDtypes.IsKnownTorchName(TorchDtype), $"torch_dtype '{TorchDtype}' is not one of float32, float16, bfloat16");
    }

    /// <summary>Reads a HF config.json. Unknown keys are ignored; wrong types and unsupported features are errors.</summary>
    public static LlamaConfig Parse(string json, string source)
    {
        JsonObject root;
        try
        {
            root = CheckpointJson.Parse(json) as JsonObject
                ?? throw new CheckpointException(source, "config.json is not a JSON object", "Provide a Hugging Face config.json.");
        }
        catch (JsonException ex)
        {
            throw new CheckpointException(source, $"config.json is not valid JSON ({ex.Message})", "Provide a Hugging Face config.json.");
        }

        var modelType = OptionalString(root, "model_type", source);
        if (modelType is not null and not "llama" and not "mistral" and not "qwen2")
        {
            throw new CheckpointException(source, $"model_type '{modelType}' is not a Llama-family decoder",
                "Use a checkpoint whose model_type is llama (or a compatible mistral/qwen2 without biases).");
        }
        if (OptionalBool(root, "attention_bias", source) == true || OptionalBool(root, "mlp_bias", source) == true)
        {
            throw new CheckpointException(source, "attention_bias/mlp_bias are set", "Only bias-free Llama projections are supported.");
        }
        var activation = OptionalString(root, "hidden_act", source);
        if (activation is not null and not "silu")
        {
            throw new CheckpointException(source, $"hidden_act '{activation}' is not silu", "Use a SwiGLU (silu) checkpoint.");
        }

        var heads = RequiredInt(root, "num_attention_heads", source);
        var config = new LlamaConfig
        {
            VocabSize = RequiredInt(root, "vocab_size", source),
            HiddenSize = RequiredInt(root, "hidden_size", source),
            IntermediateSize = RequiredInt(root, "intermediate_size", source),
            NumHiddenLayers = RequiredInt(root, "num_hidden_layers", source),
            NumAttentionHeads = heads,
            NumKeyValueHeads = OptionalInt(root, "num_key_value_heads", source) ?? heads,
            HeadDim = OptionalInt(root, "head_dim", source) ?? 0,
            MaxPositionEmbeddings = OptionalInt(root, "max_position_embeddings", source) ?? 2048,
            RmsNormEps = OptionalDouble(root, "rms_norm_eps", source) ?? 1e-6,
            RopeTheta = OptionalDouble(root, "rope_theta", source) ?? 10000,
            RopeScaling = ParseRopeScaling(root["rope_scaling"], source),
            TieWordEmbeddings = OptionalBool(root, "tie_word_embeddings", source) ?? false,
            BosTokenId = FirstTokenId(root["bos_token_id"], source) ?? 1,
            EosTokenId = FirstTokenId(root["eos_token_id"], source) ?? 2,
            TorchDtype = OptionalString(root, "torch_dtype", source) ?? OptionalString(root, "dtype", source) ?? "float32",
        };
        config.Validate(source);
        return config;
    }

    /// <summary>Writes the config.json Hugging Face's LlamaForCausalLM reads.</summary>
    public string ToJson()
    {
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["head_dim"] = EffectiveHeadDim,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["attention_bias"] = false,
            ["mlp_bias"] = false,
            ["bos_token_id"] = BosTokenId,
            ["eos_token_id"] = EosTokenId,
            ["torch_dtype"] = TorchDtype,
        };
        if (RopeScaling is { } scaling)
        {
            root["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = "llama3",
                ["factor"] = scaling.Factor,
                ["low_freq_factor"] = scaling.LowFreqFactor,
                ["high_freq_factor"] = scaling.HighFreqFactor,
                ["original_max_position_embeddings"] = scaling.OriginalMaxPositionEmbeddings,
            };
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static RopeScaling? ParseRopeScaling(JsonNode? node, string source)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonObject scaling)
        {
            throw new CheckpointException(source, "rope_scaling is not an object", "Fix config.json.");
        }
        var type = OptionalString(scaling, "rope_type", source) ?? OptionalString(scaling, "type", source);
        if (type == "default")
        {
            return null;
        }
        if (type != "llama3")
        {
            throw new CheckpointException(source, $"rope_scaling type '{type}' is not supported",
                "Only llama3 frequency scaling (or none) is supported.");
        }
        return new RopeScaling(
            OptionalDouble(scaling, "factor", source) ?? 8,
            OptionalDouble(scaling, "low_freq_factor", source) ?? 1,
            OptionalDouble(scaling, "high_freq_factor", source) ?? 4,
            OptionalInt(scaling, "original_max_position_embeddings", source) ?? 8192);
    }

    private static int RequiredInt(JsonObject root, string key, string source) =>
        OptionalInt(root, key, source)
        ?? throw new CheckpointException(source, $"config.json lacks '{key}'", "Add it; a Llama config needs it.");

    private static int? OptionalInt(JsonObject root, string key, string source) =>
        root[key] is null ? null : Read(root, key, source, n => n.GetValue<int>(), "an integer");

    private static double? OptionalDouble(JsonObject root, string key, string source) =>
        root[key] is null ? null : Read(root, key, source, n => n.GetValue<double>(), "a number");

    private static bool? OptionalBool(JsonObject root, string key, string source) =>
        root[key] is null ? null : Read(root, key, source, n => n.GetValue<bool>(), "true or false");

    private static string? OptionalString(JsonObject root, string key, string source) =>
        root[key] is null ? null : Read(root, key, source, n => n.GetValue<string>(), "a string");

    private static T Read<T>(JsonObject root, string key, string source, Func<JsonValue, T> read, string expected)
    {
        var node = root[key]!;
        try
        {
            return read(node.AsValue());
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new CheckpointException(source, $"'{key}' in config.json is {node.ToJsonString()}, not {expected}", "Fix config.json.");
        }
    }

    private static int? FirstTokenId(JsonNode? node, string source) => node switch
    {
        null => null,
        JsonArray { Count: > 0 } list when list[0] is JsonValue first && first.TryGetValue<int>(out var id) => id,
        JsonValue value when value.TryGetValue<int>(out var id) => id,
        _ => throw new CheckpointException(source, $"token id {node.ToJsonString()} is not an integer", "Fix config.json."),
    };
}

/// <summary>Llama 3.1 rotary frequency scaling parameters.</summary>
public sealed record RopeScaling(double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings);
