using System.Buffers.Binary;
using System.Text;
using OpenLedger.Model.Checkpoints;
using static TorchSharp.torch;

namespace OpenLedger.Model.Tests;

public sealed class SafetensorsCheckpointTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void A_generated_checkpoint_round_trips_bit_exactly(ScalarType dtype)
    {
        var config = TinyModels.Config();
        using var model = TinyModels.Random(config, seed: 3);
        var first = TinyModels.TempFolder();
        var second = TinyModels.TempFolder();
        HfCheckpoint.Save(model, first, dtype);

        using var loaded = HfCheckpoint.Load(first);
        Assert.Equal(config with { TorchDtype = loaded.Config.TorchDtype }, loaded.Config);
        HfCheckpoint.Save(loaded, second, dtype);
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, HfCheckpoint.WeightsFile)), File.ReadAllBytes(Path.Combine(second, HfCheckpoint.WeightsFile)));

        var original = model.BaseParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var (name, parameter) in loaded.BaseParameters())
        {
            // float32 must survive exactly; half types must equal the original rounded to that type.
            using var expected = original[name].to_type(dtype).to_type(ScalarType.Float32);
            Assert.True(expected.equal(parameter).all().item<bool>(), $"{name} changed in the round trip");
        }
    }

    [Fact]
    public void Sharded_checkpoints_with_an_index_load_like_single_files()
    {
        using var model = TinyModels.Random(TinyModels.Config(), seed: 4);
        var folder = TinyModels.TempFolder();
        HfCheckpoint.Save(model, folder, maxShardBytes: 8 * 1024);
        Assert.True(File.Exists(Path.Combine(folder, HfCheckpoint.IndexFile)));
        Assert.True(Directory.GetFiles(folder, "model-*-of-*.safetensors").Length > 1);

        using var loaded = HfCheckpoint.Load(folder);
        using var tokens = TinyModels.Tokens([1, 2, 3, 4]);
        Assert.True(model.forward(tokens).equal(loaded.forward(tokens)).all().item<bool>());
    }

    [Fact]
    public void Header_layout_is_the_safetensors_format()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        using var stream = new MemoryStream();
        SafetensorsFile.Write(stream, [new("a", a)]);
        var bytes = stream.ToArray();
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength).TrimEnd(' ');
        Assert.Equal("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", header);
        Assert.Equal(8 + headerLength + 24, bytes.Length);
        Assert.Equal(3f, BitConverter.ToSingle(bytes, 8 + headerLength + 8));
    }

    [Fact]
    public void A_truncated_file_is_refused_with_its_cause()
    {
        var bytes = ValidFile();
        var error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Parse(bytes.AsMemory(0, bytes.Length - 4), "cut.safetensors"));
        Assert.Contains("data section has", error.Message);

        error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Parse(bytes.AsMemory(0, 20), "cut.safetensors"));
        Assert.Contains("truncated", error.Message);

        error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Parse(new byte[3], "tiny.safetensors"));
        Assert.Contains("shorter than the 8-byte header length", error.Message);

        // The same checks hold for files read from disk tensor by tensor.
        var path = Path.Combine(TinyModels.TempFolder(), "cut.safetensors");
        File.WriteAllBytes(path, bytes[..^4]);
        error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path));
        Assert.Contains("data section has", error.Message);
        File.WriteAllBytes(path, bytes);
        using var whole = SafetensorsFile.Open(path);
        using var w = whole.Load("w");
        Assert.Equal([1f, 2f, 3f, 4f], TinyModels.Values(w));
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, "dtype 'F8_E4M3', which is not supported")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "needs 12 bytes but spans 8")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlap or gap")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "lacks data_offsets")]
    [InlineData("{\"w\": [1, 2", 8, "not valid JSON")]
    public void Malformed_headers_are_refused_by_name(string header, int dataBytes, string expected)
    {
        var error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Parse(Build(header, dataBytes), "bad.safetensors"));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Weights_that_do_not_match_the_config_are_refused_and_nothing_is_loaded()
    {
        using var model = TinyModels.Random(TinyModels.Config(layers: 2), seed: 8);
        var folder = TinyModels.TempFolder();
        HfCheckpoint.Save(model, folder);

        // A config claiming three layers: layer 2's tensors are missing.
        File.WriteAllText(Path.Combine(folder, HfCheckpoint.ConfigFile), (TinyModels.Config(layers: 3)).ToJson());
        var missing = Assert.Throws<CheckpointException>(() => HfCheckpoint.Load(folder));
        Assert.Contains("'model.layers.2.", missing.Message);

        // A config with a wider vocabulary: the embedding's shape is wrong.
        File.WriteAllText(Path.Combine(folder, HfCheckpoint.ConfigFile), (TinyModels.Config(vocab: 64)).ToJson());
        var shape = Assert.Throws<CheckpointException>(() => HfCheckpoint.Load(folder));
        Assert.Contains("has shape [48, 16] but config.json implies [64, 16]", shape.Message);

        // A one-layer config: layer 1's tensors are unexpected. The target model keeps its weights.
        using var target = TinyModels.Random(TinyModels.Config(layers: 1), seed: 9);
        var before = target.BaseParameters().Select(p => TinyModels.Values(p.Parameter)).ToList();
        var extra = Assert.Throws<CheckpointException>(() => HfCheckpoint.LoadWeights(target, HfCheckpoint.OpenWeights(folder), folder));
        Assert.Contains("is not part of a 1-layer Llama model", extra.Message);
        var after = target.BaseParameters().Select(p => TinyModels.Values(p.Parameter)).ToList();
        Assert.Equal(before, after);
    }

    [Fact]
    public void Config_errors_name_the_key()
    {
        var error = Assert.Throws<CheckpointException>(() => LlamaConfig.Parse("{\"hidden_size\": 16, \"num_attention_heads\": 4}", "config.json"));
        Assert.Contains("lacks 'vocab_size'", error.Message);
        error = Assert.Throws<CheckpointException>(() => LlamaConfig.Parse(TinyModels.Config().ToJson().Replace("\"float32\"", "\"int8\""), "config.json"));
        Assert.Contains("torch_dtype 'int8'", error.Message);
        error = Assert.Throws<CheckpointException>(() => LlamaConfig.Parse(TinyModels.Config().ToJson().Replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"), "config.json"));
        Assert.Contains("multiple of num_key_value_heads (3)", error.Message);
        error = Assert.Throws<CheckpointException>(() => LlamaConfig.Parse("{\"model_type\": \"gpt2\"}", "config.json"));
        Assert.Contains("not a Llama-family decoder", error.Message);
    }

    private static byte[] ValidFile()
    {
        using var w = tensor(new float[] { 1, 2, 3, 4 });
        using var stream = new MemoryStream();
        SafetensorsFile.Write(stream, [new("w", w)]);
        return stream.ToArray();
    }

    private static byte[] Build(string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }
}
