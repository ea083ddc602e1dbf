using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using static TorchSharp.torch;

namespace OpenLedger.Model.Tests;

public sealed class LoraTests
{
    private static readonly LoraSettings _settings = new(Rank: 4, Alpha: 8, Dropout: 0, TargetModules: ["q_proj", "v_proj", "down_proj"]);

    [Fact]
    public void Merged_weights_give_the_same_output_as_the_unmerged_adapter()
    {
        using var model = TinyModels.Random(TinyModels.Config(), seed: 21);
        var before = model.BaseParameters().ToDictionary(p => p.Name, p => TinyModels.Values(p.Parameter));
        AttachRandom(model, _settings, seed: 5);
        using var tokens = TinyModels.Tokens([2, 7, 1, 9, 4]);
        var adapted = TinyModels.Values(model.forward(tokens));
        var baseOnly = TinyModels.Values(WithoutLora(model, tokens));
        Assert.True(adapted.Zip(baseOnly).Any(p => Math.Abs(p.First - p.Second) > 1e-3), "the adapter should change the output");

        LoraAttachment.MergeAll(model);
        var merged = TinyModels.Values(WithoutLora(model, tokens));
        TinyModels.AssertClose(adapted, merged, 1e-5, "merged logits");

        LoraAttachment.UnmergeAll(model);
        foreach (var (name, parameter) in model.BaseParameters())
        {
            TinyModels.AssertClose(before[name], TinyModels.Values(parameter), 1e-6, name);
        }
    }

    [Fact]
    public void Fresh_adapters_start_as_the_base_model_and_freeze_base_weights()
    {
        using var model = TinyModels.Random(TinyModels.Config(), seed: 22);
        using var tokens = TinyModels.Tokens([3, 3, 8]);
        var baseline = TinyModels.Values(model.forward(tokens));
        var factors = LoraAttachment.AttachFresh(model, _settings, seed: 1, dropoutGenerator: null);
        Assert.Equal(2 * 3 * 2, factors.Count);
        Assert.All(model.BaseParameters(), p => Assert.False(p.Parameter.requires_grad, p.Name));
        Assert.All(factors, f => Assert.True(f.Parameter.requires_grad, f.Name));
        Assert.Equal(baseline, TinyModels.Values(model.forward(tokens)));
    }

    [Fact]
    public void Peft_files_round_trip_with_peft_names_and_config()
    {
        using var model = TinyModels.Random(TinyModels.Config(), seed: 23);
        AttachRandom(model, _settings, seed: 6);
        using var tokens = TinyModels.Tokens([5, 1, 4]);
        var expected = TinyModels.Values(model.forward(tokens));

        var folder = TinyModels.TempFolder();
        PeftAdapter.Capture(model, _settings, "tiny-base").Save(folder);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, PeftAdapter.ConfigFile)))!;
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal(4, config["r"]!.GetValue<int>());
        Assert.Equal(8, config["lora_alpha"]!.GetValue<double>());
        Assert.Equal(["q_proj", "v_proj", "down_proj"], config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()));
        var file = SafetensorsFile.Open(Path.Combine(folder, PeftAdapter.WeightsFile));
        Assert.Contains("base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight", file.Names);
        Assert.Contains("base_model.model.model.layers.0.mlp.down_proj.lora_B.weight", file.Names);
        Assert.Equal([4L, 16L], file.Shape("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight"));
        Assert.Equal([8L, 4L], file.Shape("base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight"));
        Assert.Equal(12, file.Names.Count());

        using var fresh = TinyModels.Random(TinyModels.Config(), seed: 23);
        PeftAdapter.Load(folder).ApplyTo(fresh);
        Assert.Equal(expected, TinyModels.Values(fresh.forward(tokens)));
    }

    [Fact]
    public void An_adapter_written_as_peft_writes_it_loads_and_acts_as_delta_w_equals_scale_b_a()
    {
        var config = TinyModels.Config(layers: 1);
        using var model = TinyModels.Random(config, seed: 24);
        var folder = TinyModels.TempFolder();
        // adapter_config.json as PEFT writes it, extra keys included.
        File.WriteAllText(Path.Combine(folder, PeftAdapter.ConfigFile), """
            {"alpha_pattern": {}, "auto_mapping": null, "base_model_name_or_path": "tiny", "bias": "none", "fan_in_fan_out": false,
             "inference_mode": true, "init_lora_weights": true, "layer_replication": null, "layers_pattern": null, "layers_to_transform": null,
             "loftq_config": {}, "lora_alpha": 4, "lora_dropout": 0.05, "megatron_config": null, "megatron_core": "megatron.core",
             "modules_to_save": null, "peft_type": "LORA", "r": 2, "rank_pattern": {}, "revision": null, "target_modules": ["q_proj"],
             "task_type": "CAUSAL_LM", "use_dora": false, "use_rslora": false}
            """);
        var a = Enumerable.Range(0, 2 * 16).Select(i => (float)Math.Sin(i) * 0.5f).ToArray();     // [2, 16]
        var b = Enumerable.Range(0, 16 * 2).Select(i => (float)Math.Cos(i) * 0.5f).ToArray();     // [16, 2]
        File.WriteAllBytes(Path.Combine(folder, PeftAdapter.WeightsFile), HandWrittenSafetensors(
            ("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", [2, 16], a),
            ("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", [16, 2], b)));

        using var tokens = TinyModels.Tokens([1, 6, 2, 9]);
        PeftAdapter.Load(folder).ApplyTo(model);
        var adapted = TinyModels.Values(model.forward(tokens));

        // The same change written into q_proj's weight by hand: W[o, i] += (alpha / r) * sum_k B[o, k] A[k, i].
        var q = model.Projections().Single(p => p.Path == "model.layers.0.self_attn.q_proj").Projection;
        LoraAttachment.DetachAll(model);
        var w = TinyModels.Values(q.Weight);
        for (var o = 0; o < 16; o++)
        {
            for (var i = 0; i < 16; i++)
            {
                w[o * 16 + i] += 2f * (b[o * 2] * a[i] + b[o * 2 + 1] * a[16 + i]);
            }
        }
        using (no_grad())
        {
            q.Weight.copy_(tensor(w, new long[] { 16, 16 }));
        }
        TinyModels.AssertClose(TinyModels.Values(model.forward(tokens)), adapted, 1e-5, "logits");
    }

    [Fact]
    public void Adapters_that_do_not_fit_are_refused_and_the_model_is_untouched()
    {
        using var model = TinyModels.Random(TinyModels.Config(), seed: 25);
        AttachRandom(model, _settings, seed: 7);
        var folder = TinyModels.TempFolder();
        PeftAdapter.Capture(model, _settings, "tiny").Save(folder);

        using var smaller = TinyModels.Random(TinyModels.Config(layers: 1), seed: 25);
        var extra = Assert.Throws<CheckpointException>(() => PeftAdapter.Load(folder).ApplyTo(smaller));
        Assert.Contains("model.layers.1", extra.Message);
        Assert.All(smaller.Projections(), p => Assert.Null(p.Projection.Lora));

        var dora = File.ReadAllText(Path.Combine(folder, PeftAdapter.ConfigFile)).Replace("\"use_dora\": false", "\"use_dora\": true");
        var refused = Assert.Throws<CheckpointException>(() => PeftAdapter.Parse(dora, File.ReadAllBytes(Path.Combine(folder, PeftAdapter.WeightsFile)), folder));
        Assert.Contains("use_dora is true", refused.Message);
        var mistyped = Assert.Throws<CheckpointException>(() => PeftAdapter.Parse(dora.Replace("\"use_dora\": true", "\"use_dora\": \"yes\""),
            File.ReadAllBytes(Path.Combine(folder, PeftAdapter.WeightsFile)), folder));
        Assert.Contains("wrong type", mistyped.Message);
        var rankless = Assert.Throws<CheckpointException>(() => PeftAdapter.Parse("{\"peft_type\": \"LORA\"}", [], folder));
        Assert.Contains("has no 'r'", rankless.Message);

        Assert.Throws<ArgumentException>(() => new LoraSettings(0, 8, 0, ["q_proj"]).Validate());
        var unknown = Assert.Throws<ArgumentException>(() => new LoraSettings(4, 8, 0, ["qkv"]).Validate());
        Assert.Contains("qkv", unknown.Message);
    }

    // Random factors attached to the model (the base weights stay frozen, as in training).
    private static void AttachRandom(LlamaModel model, LoraSettings settings, long seed)
    {
        SyntheticAdapters.Create(model, settings, seed, 0.2, "tiny").ApplyTo(model);
        foreach (var (_, parameter) in model.BaseParameters())
        {
            parameter.requires_grad = false;
        }
    }

    private static Tensor WithoutLora(LlamaModel model, Tensor tokens)
    {
        // Forward through base weights only: zero every adapter's scaling by detaching copies, then restore.
        var saved = model.Projections().Where(p => p.Projection.Lora is not null)
            .Select(p => (p.Projection, A: p.Projection.Lora!.Value.A.detach().clone(), B: p.Projection.Lora!.Value.B.detach().clone(), p.Projection.LoraScaling))
            .ToList();
        LoraAttachment.DetachAll(model);
        var output = model.forward(tokens);
        foreach (var (projection, a, b, scaling) in saved)
        {
            projection.AttachLora(a, b, scaling, 0, null);
        }
        return output;
    }

    private static byte[] HandWrittenSafetensors(params (string Name, long[] Shape, float[] Values)[] tensors)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, shape, values) in tensors)
        {
            header.Append($"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + values.Length * 4}]}},");
            offset += values.Length * 4;
        }
        header.Length--;
        header.Append('}');
        var json = Encoding.UTF8.GetBytes(header.ToString());
        var bytes = new byte[8 + json.Length + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        var at = 8 + json.Length;
        foreach (var (_, _, values) in tensors)
        {
            foreach (var v in values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), v);
                at += 4;
            }
        }
        return bytes;
    }
}
