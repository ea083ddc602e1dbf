using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenLedger.Model.Checkpoints;
using static TorchSharp.torch;

namespace OpenLedger.Model.Lora;

/// <summary>
/// A LoRA adapter in PEFT's layout: <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> whose tensors are
/// named <c>base_model.model.&lt;module&gt;.lora_A.weight</c> / <c>lora_B.weight</c>. Held as the two files' bytes so
/// it moves through Blob storage unchanged; applying it checks every tensor before touching the model.
/// </summary>
public sealed class PeftAdapter
{
    /// <summary>The config file name.</summary>
    public const string ConfigFile = "adapter_config.json";

    /// <summary>The weights file name.</summary>
    public const string WeightsFile = "adapter_model.safetensors";

    private const string Prefix = "base_model.model.";

    // target_modules may be a regular expression from the file: one that backtracks without end must not hold a thread.
    private static readonly TimeSpan _patternTimeout = TimeSpan.FromMilliseconds(200);

    private PeftAdapter(LoraSettings settings, string configJson, byte[] weights, SafetensorsFile parsed)
    {
        Settings = settings;
        ConfigJson = configJson;
        Weights = weights;
        Parsed = parsed;
    }

    /// <summary>Rank, alpha, dropout and targets from the config.</summary>
    public LoraSettings Settings { get; }

    /// <summary>The adapter_config.json text.</summary>
    public string ConfigJson { get; }

    /// <summary>The adapter_model.safetensors bytes.</summary>
    public byte[] Weights { get; }

    private SafetensorsFile Parsed { get; }

    /// <summary>PEFT's tensor name for factor <paramref name="factor"/> (lora_A or lora_B) of the projection at <paramref name="path"/>.</summary>
    public static string TensorName(string path, string factor) => $"{Prefix}{path}.{factor}.weight";

    /// <summary>Captures the adapters attached to <paramref name="model"/> as PEFT files.</summary>
    public static PeftAdapter Capture(LlamaModel model, LoraSettings settings, string baseModel)
    {
        var factors = LoraAttachment.TrainableFactors(model);
        if (factors.Count == 0)
        {
            throw new InvalidOperationException("The model carries no LoRA adapter to save.");
        }
        using var stream = new MemoryStream();
        SafetensorsFile.Write(stream, factors.Select(f => new KeyValuePair<string, Tensor>(f.Name, f.Parameter)),
            new Dictionary<string, string> { ["format"] = "pt" });
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["base_model_name_or_path"] = baseModel,
            ["r"] = settings.Rank,
            ["lora_alpha"] = settings.Alpha,
            ["lora_dropout"] = settings.Dropout,
            ["target_modules"] = new JsonArray(settings.TargetModules.Select(t => (JsonNode)t).ToArray()),
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["use_rslora"] = settings.UseRslora,
            ["use_dora"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["modules_to_save"] = null,
            ["layers_to_transform"] = null,
            ["rank_pattern"] = new JsonObject(),
            ["alpha_pattern"] = new JsonObject(),
        };
        var json = config.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var weights = stream.ToArray();
        return new PeftAdapter(settings, json, weights, SafetensorsFile.Parse(weights, WeightsFile));
    }

    /// <summary>Reads an adapter folder.</summary>
    public static PeftAdapter Load(string folder)
    {
        var configPath = Path.Combine(folder, ConfigFile);
        var weightsPath = Path.Combine(folder, WeightsFile);
        if (!File.Exists(configPath) || !File.Exists(weightsPath))
        {
            throw new CheckpointException(folder, $"needs both {ConfigFile} and {WeightsFile}", "Point at a PEFT LoRA adapter folder.");
        }
        return Parse(File.ReadAllText(configPath), File.ReadAllBytes(weightsPath), folder);
    }

    /// <summary>Parses the two files' contents; unsupported PEFT features are refused by name.</summary>
    public static PeftAdapter Parse(string configJson, byte[] weights, string source)
    {
        JsonObject config;
        try
        {
            config = CheckpointJson.Parse(configJson) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            throw new CheckpointException(source, $"{ConfigFile} is not a JSON object ({ex.Message})", "Provide PEFT's adapter_config.json.");
        }
        void Refuse(string problem) => throw new CheckpointException(source, problem,
            "Only plain LoRA adapters (PEFT peft_type LORA, no DoRA, no per-layer rank patterns) are supported.");

        int rank;
        double alpha, dropout;
        bool rslora;
        List<string> targets;
        try
        {
            if (config["peft_type"]?.GetValue<string>() is { } type && type != "LORA")
            {
                Refuse($"peft_type is {type}");
            }
            if (config["use_dora"]?.GetValue<bool>() == true)
            {
                Refuse("use_dora is true");
            }
            if (config["fan_in_fan_out"]?.GetValue<bool>() == true)
            {
                Refuse("fan_in_fan_out is true (Conv1D-style weights)");
            }
            if (config["rank_pattern"] is JsonObject { Count: > 0 } || config["alpha_pattern"] is JsonObject { Count: > 0 })
            {
                Refuse("rank_pattern/alpha_pattern are set");
            }
            if (config["bias"]?.GetValue<string>() is { } bias && bias != "none")
            {
                Refuse($"bias is {bias}");
            }
            rank = config["r"]?.GetValue<int>()
                ?? throw new CheckpointException(source, $"{ConfigFile} has no 'r'", "Add the adapter's rank.");
            alpha = config["lora_alpha"]?.GetValue<double>() ?? rank;
            dropout = config["lora_dropout"]?.GetValue<double>() ?? 0;
            rslora = config["use_rslora"]?.GetValue<bool>() ?? false;
            targets = config["target_modules"] switch
            {
                JsonArray list => list.Select(t => t!.GetValue<string>()).ToList(),
                // A string is a regular expression PEFT matches against whole module paths.
                JsonValue pattern => LoraSettings.AllTargets
                    .Where(t => Regex.IsMatch(ExamplePath(t), $"^(?:{pattern.GetValue<string>()})$", RegexOptions.None, _patternTimeout)).ToList(),
                _ => [],
            };
        }
        catch (RegexMatchTimeoutException)
        {
            throw new CheckpointException(source, $"{ConfigFile}'s target_modules pattern takes too long to match a module path",
                "List the target modules by name, or use a simpler regular expression.");
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or NullReferenceException)
        {
            throw new CheckpointException(source, $"{ConfigFile} has a value of the wrong type ({ex.Message})", "Fix adapter_config.json.");
        }
        var settings = new LoraSettings(rank, alpha, dropout, targets, rslora);
        try
        {
            settings.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new CheckpointException(source, ex.Message.TrimEnd('.'), "Fix adapter_config.json.");
        }
        var parsed = SafetensorsFile.Parse(weights, Path.Combine(source, WeightsFile));
        return new PeftAdapter(settings, configJson, weights, parsed);
    }

    // Where a target projection sits in layer 0, for matching PEFT's regular-expression target_modules.
    private static string ExamplePath(string target) =>
        target is "gate_proj" or "up_proj" or "down_proj" ? $"model.layers.0.mlp.{target}" : $"model.layers.0.self_attn.{target}";

    /// <summary>Writes the two files to <paramref name="folder"/>.</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ConfigFile), ConfigJson);
        File.WriteAllBytes(Path.Combine(folder, WeightsFile), Weights);
    }

    /// <summary>
    /// This adapter's factors for <paramref name="model"/>, by projection path, checked like <see cref="ApplyTo"/>
    /// but not attached: for serving many adapters on one shared model. The caller owns the tensors.
    /// </summary>
    public Dictionary<string, (Tensor A, Tensor B, double Scaling)> Factors(LlamaModel model)
    {
        CheckFits(model);
        return model.Projections().Where(p => Settings.Targets(p.Path)).ToDictionary(
            p => p.Path,
            p => (Parsed.Load(TensorName(p.Path, "lora_A")), Parsed.Load(TensorName(p.Path, "lora_B")), Settings.Scaling),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// This adapter's factors for projection <paramref name="path"/> ([out, in]) as host arrays in the serving kernel's
    /// layout, A [r, in] and Bᵀ [r, out], copied straight from the file's float32 bytes; null when stored otherwise.
    /// Call <see cref="CheckFits"/> first.
    /// </summary>
    public (float[] A, float[] Bt)? HostFactors(string path, int inFeatures, int outFeatures)
    {
        var rank = Settings.Rank;
        var a = new float[rank * inFeatures];
        var b = new float[outFeatures * rank];
        if (!Parsed.TryCopyFloat32(TensorName(path, "lora_A"), a) || !Parsed.TryCopyFloat32(TensorName(path, "lora_B"), b))
        {
            return null;
        }
        var bt = new float[rank * outFeatures];
        for (var o = 0; o < outFeatures; o++)
        {
            for (var k = 0; k < rank; k++)
            {
                bt[(k * outFeatures) + o] = b[(o * rank) + k];
            }
        }
        return (a, bt);
    }

    /// <summary>
    /// Attaches this adapter's factors to <paramref name="model"/> (replacing any attached adapters). Every tensor's
    /// presence and shape is checked first, so a mismatched adapter leaves the model as it was.
    /// </summary>
    public void ApplyTo(LlamaModel model, Generator? dropoutGenerator = null)
    {
        CheckFits(model);
        var targets = model.Projections().Where(p => Settings.Targets(p.Path)).ToList();
        LoraAttachment.DetachAll(model);
        foreach (var (path, projection) in targets)
        {
            using var a = Parsed.Load(TensorName(path, "lora_A"));
            using var b = Parsed.Load(TensorName(path, "lora_B"));
            projection.AttachLora(a, b, Settings.Scaling, Settings.Dropout, dropoutGenerator);
        }
    }

    /// <summary>Checks that every factor the adapter needs for <paramref name="model"/> is present with the right shape, and nothing else is.</summary>
    public void CheckFits(LlamaModel model)
    {
        var targets = model.Projections().Where(p => Settings.Targets(p.Path)).ToList();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, projection) in targets)
        {
            foreach (var (factor, shape) in new[] { ("lora_A", new[] { Settings.Rank, projection.Weight.shape[1] }), ("lora_B", new[] { projection.Weight.shape[0], Settings.Rank }) })
            {
                var name = TensorName(path, factor);
                expected.Add(name);
                if (!Parsed.Contains(name))
                {
                    throw new CheckpointException(Parsed.Source, $"tensor '{name}' is missing", "The adapter was made for a different base model or target list.");
                }
                if (!Parsed.Shape(name).SequenceEqual(shape))
                {
                    throw new CheckpointException(Parsed.Source,
                        $"tensor '{name}' has shape [{string.Join(", ", Parsed.Shape(name))}], the base model needs [{string.Join(", ", shape)}]",
                        "The adapter was made for a different base model.");
                }
            }
        }
        var unexpected = Parsed.Names.FirstOrDefault(n => !expected.Contains(n));
        if (unexpected is not null)
        {
            throw new CheckpointException(Parsed.Source, $"tensor '{unexpected}' does not belong to a target projection of this base model",
                "The adapter was made for a different base model or target list.");
        }
    }
}
