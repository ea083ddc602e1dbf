using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace OpenLedger.Model.Checkpoints;

/// <summary>
/// Hugging Face checkpoint folders: <c>config.json</c> plus <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c>. Loading checks every tensor's presence, shape and dtype before the first
/// weight is copied, so a bad folder leaves no half-loaded model.
/// </summary>
public static class HfCheckpoint
{
    /// <summary>The config file name.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The single-file weights name.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>The shard index name.</summary>
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>Reads a checkpoint folder into a new float32 model on <paramref name="device"/>.</summary>
    public static LlamaModel Load(string folder, Device? device = null)
    {
        var config = ReadConfig(folder);
        var files = OpenWeights(folder);
        var model = new LlamaModel(config);
        try
        {
            LoadWeights(model, files, folder);
            foreach (var file in files)
            {
                file.Dispose();
            }
            if (device is not null && device.type != DeviceType.CPU)
            {
                model.to(device);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            foreach (var file in files)
            {
                file.Dispose();
            }
            throw;
        }
    }

    /// <summary>Reads and validates <c>config.json</c>.</summary>
    public static LlamaConfig ReadConfig(string folder)
    {
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path))
        {
            throw new CheckpointException(folder, "there is no config.json", "Point at a Hugging Face checkpoint folder (config.json + model.safetensors).");
        }
        return LlamaConfig.Parse(File.ReadAllText(path), path);
    }

    /// <summary>Copies checked tensors from <paramref name="files"/> into <paramref name="model"/>.</summary>
    public static void LoadWeights(LlamaModel model, IReadOnlyList<SafetensorsFile> files, string source)
    {
        var byName = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var name in file.Names)
            {
                if (!byName.TryAdd(name, file))
                {
                    throw new CheckpointException(source, $"tensor '{name}' appears in two shards", "Rebuild the shard index.");
                }
            }
        }

        var expected = model.BaseParameters();
        foreach (var (name, parameter) in expected)
        {
            if (!byName.TryGetValue(name, out var file))
            {
                throw new CheckpointException(source, $"tensor '{name}' is missing", "The weights do not match config.json (wrong layer count or tie_word_embeddings?).");
            }
            if (!file.Shape(name).SequenceEqual(parameter.shape))
            {
                throw new CheckpointException(source,
                    $"tensor '{name}' has shape [{string.Join(", ", file.Shape(name))}] but config.json implies [{string.Join(", ", parameter.shape)}]",
                    "The weights do not match config.json; use the config that came with them.");
            }
        }
        var known = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in byName.Keys)
        {
            // Older exports carry the rotary frequency buffers, and tied models sometimes repeat lm_head; both are derived.
            var derived = name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal)
                || (name == "lm_head.weight" && model.Config.TieWordEmbeddings);
            if (!known.Contains(name) && !derived)
            {
                throw new CheckpointException(source, $"tensor '{name}' is not part of a {model.Config.NumHiddenLayers}-layer Llama model",
                    "The weights do not match config.json; use the config that came with them.");
            }
        }

        using var noGrad = no_grad();
        foreach (var (name, parameter) in expected)
        {
            // A scope per tensor frees the stored copy and any converted copy at once, not when finalizers run.
            using var scope = NewDisposeScope();
            parameter.copy_(byName[name].Load(name).to_type(parameter.dtype));
        }
    }

    /// <summary>
    /// Writes config.json and the weights in <paramref name="dtype"/> (default float32), as one file or as shards of
    /// at most <paramref name="maxShardBytes"/> with an index.
    /// </summary>
    public static void Save(LlamaModel model, string folder, ScalarType dtype = ScalarType.Float32, long maxShardBytes = long.MaxValue)
    {
        Directory.CreateDirectory(folder);
        var config = model.Config with { TorchDtype = TensorDtypes.ToSafetensors(dtype) switch { "F16" => "float16", "BF16" => "bfloat16", _ => "float32" } };
        File.WriteAllText(Path.Combine(folder, ConfigFile), config.ToJson());

        var metadata = new Dictionary<string, string> { ["format"] = "pt" };
        var shards = new List<List<(string Name, Tensor Tensor)>> { new() };
        long shardBytes = 0, totalBytes = 0;
        foreach (var (name, parameter) in model.BaseParameters().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var bytes = parameter.numel() * TensorDtypes.ElementBytes(dtype);
            if (shardBytes > 0 && shardBytes + bytes > maxShardBytes)
            {
                shards.Add([]);
                shardBytes = 0;
            }
            shards[^1].Add((name, parameter));
            shardBytes += bytes;
            totalBytes += bytes;
        }

        if (shards.Count == 1)
        {
            WriteShard(Path.Combine(folder, WeightsFile), shards[0], dtype, metadata);
            File.Delete(Path.Combine(folder, IndexFile));
            return;
        }
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            var fileName = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            WriteShard(Path.Combine(folder, fileName), shards[i], dtype, metadata);
            foreach (var (name, _) in shards[i])
            {
                weightMap[name] = fileName;
            }
        }
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = totalBytes }, ["weight_map"] = weightMap };
        File.WriteAllText(Path.Combine(folder, IndexFile), index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Delete(Path.Combine(folder, WeightsFile));
    }

    /// <summary>The weight files of a folder, each opened and its header checked; dispose them when done.</summary>
    public static IReadOnlyList<SafetensorsFile> OpenWeights(string folder)
    {
        var indexPath = Path.Combine(folder, IndexFile);
        if (File.Exists(indexPath))
        {
            JsonObject? weightMap;
            try
            {
                weightMap = (CheckpointJson.Parse(File.ReadAllText(indexPath)) as JsonObject)?["weight_map"] as JsonObject;
            }
            catch (JsonException ex)
            {
                throw new CheckpointException(indexPath, $"not valid JSON ({ex.Message})", "Rebuild the shard index.");
            }
            if (weightMap is null)
            {
                throw new CheckpointException(indexPath, "has no weight_map", "Rebuild the shard index.");
            }
            if (weightMap.Any(e => e.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
            {
                throw new CheckpointException(indexPath, "weight_map has a value that is not a file name", "Rebuild the shard index.");
            }
            var shardNames = weightMap.Select(e => e.Value!.GetValue<string>()).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
            var files = new List<SafetensorsFile>();
            try
            {
                foreach (var shardName in shardNames)
                {
                    var shardPath = Path.Combine(folder, Path.GetFileName(shardName));
                    if (!File.Exists(shardPath))
                    {
                        throw new CheckpointException(indexPath, $"lists shard '{shardName}', which is not in the folder", "Copy every shard next to the index.");
                    }
                    files.Add(SafetensorsFile.Open(shardPath));
                }
                foreach (var (name, shard) in weightMap)
                {
                    var file = files.First(f => Path.GetFileName(f.Source) == Path.GetFileName(shard!.GetValue<string>()));
                    if (!file.Contains(name))
                    {
                        throw new CheckpointException(indexPath, $"maps '{name}' to {file.Source}, which does not hold it", "Rebuild the shard index.");
                    }
                }
                return files;
            }
            catch
            {
                files.ForEach(f => f.Dispose());
                throw;
            }
        }
        var single = Path.Combine(folder, WeightsFile);
        if (!File.Exists(single))
        {
            throw new CheckpointException(folder, "there is neither model.safetensors nor model.safetensors.index.json",
                "Point at a Hugging Face checkpoint folder with safetensors weights.");
        }
        return [SafetensorsFile.Open(single)];
    }

    private static void WriteShard(string path, List<(string Name, Tensor Tensor)> tensors, ScalarType dtype, Dictionary<string, string> metadata)
    {
        var converted = tensors.Select(t => new KeyValuePair<string, Tensor>(t.Name, t.Tensor.detach().to_type(dtype))).ToList();
        try
        {
            SafetensorsFile.Write(path, converted, metadata);
        }
        finally
        {
            foreach (var (_, tensor) in converted)
            {
                tensor.Dispose();
            }
        }
    }
}
