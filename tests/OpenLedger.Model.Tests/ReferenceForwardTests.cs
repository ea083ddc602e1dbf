using static TorchSharp.torch;

namespace OpenLedger.Model.Tests;

/// <summary>
/// The TorchSharp forward pass against a plain-loop Llama written here in doubles from the same weights: embedding,
/// RMSNorm, rotate-half RoPE, grouped-query causal attention, SwiGLU, final norm and (tied or untied) head.
/// </summary>
public sealed class ReferenceForwardTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Forward_matches_a_plain_loop_reference(bool tied)
    {
        var config = TinyModels.Config(tied);
        using var model = TinyModels.Random(config, seed: 11);
        long[] sequence = [3, 17, 5, 42, 8, 1, 30];
        using var tokens = TinyModels.Tokens(sequence);
        using var logits = model.forward(tokens);
        var actual = TinyModels.Values(logits);

        var weights = model.BaseParameters().ToDictionary(p => p.Name, p => TinyModels.Values(p.Parameter));
        var expected = ReferenceLlama.Logits(config, weights, sequence);
        TinyModels.AssertClose(expected, actual, 1e-5, "logits");
    }

    [Fact]
    public void Generation_with_the_kv_cache_matches_full_recomputation()
    {
        var config = TinyModels.Config();
        using var model = TinyModels.Random(config, seed: 5);
        long[] prompt = [4, 9, 2];
        var sequence = prompt.ToList();
        using var cache = new KvCache(config.NumHiddenLayers);
        using (no_grad())
        {
            using var first = model.Forward(TinyModels.Tokens(prompt), cache);
            var next = first[0, -1].argmax().item<long>();
            for (var step = 0; step < 5; step++)
            {
                sequence.Add(next);
                using var cached = model.Forward(TinyModels.Tokens([next]), cache);
                using var full = model.Forward(TinyModels.Tokens(sequence.ToArray()), null);
                TinyModels.AssertClose(TinyModels.Values(full[0, -1]), TinyModels.Values(cached[0, -1]), 1e-5, $"step {step}");
                next = cached[0, -1].argmax().item<long>();
            }
        }
        Assert.Equal(prompt.Length + 5, cache.Length);
    }
}

/// <summary>An independent Llama forward pass over plain arrays, for checking the TorchSharp one.</summary>
internal static class ReferenceLlama
{
    public static float[] Logits(LlamaConfig c, Dictionary<string, float[]> w, long[] tokens)
    {
        int h = c.HiddenSize, t = tokens.Length, hd = c.EffectiveHeadDim, nh = c.NumAttentionHeads, nkv = c.NumKeyValueHeads;
        var x = new double[t, h];
        var embed = w["model.embed_tokens.weight"];
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < h; j++)
            {
                x[i, j] = embed[tokens[i] * h + j];
            }
        }
        for (var layer = 0; layer < c.NumHiddenLayers; layer++)
        {
            var p = $"model.layers.{layer}.";
            var normed = Norm(x, w[p + "input_layernorm.weight"], c.RmsNormEps);
            var q = Linear(normed, w[p + "self_attn.q_proj.weight"], nh * hd);
            var k = Linear(normed, w[p + "self_attn.k_proj.weight"], nkv * hd);
            var v = Linear(normed, w[p + "self_attn.v_proj.weight"], nkv * hd);
            Rope(q, nh, hd, c.RopeTheta);
            Rope(k, nkv, hd, c.RopeTheta);
            var context = new double[t, nh * hd];
            for (var head = 0; head < nh; head++)
            {
                var kvHead = head / (nh / nkv);
                for (var i = 0; i < t; i++)
                {
                    var scores = new double[i + 1];
                    var max = double.NegativeInfinity;
                    for (var j = 0; j <= i; j++)
                    {
                        double s = 0;
                        for (var d = 0; d < hd; d++)
                        {
                            s += q[i, head * hd + d] * k[j, kvHead * hd + d];
                        }
                        scores[j] = s / Math.Sqrt(hd);
                        max = Math.Max(max, scores[j]);
                    }
                    var sum = 0.0;
                    for (var j = 0; j <= i; j++)
                    {
                        scores[j] = Math.Exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (var d = 0; d < hd; d++)
                    {
                        double acc = 0;
                        for (var j = 0; j <= i; j++)
                        {
                            acc += scores[j] / sum * v[j, kvHead * hd + d];
                        }
                        context[i, head * hd + d] = acc;
                    }
                }
            }
            Add(x, Linear(context, w[p + "self_attn.o_proj.weight"], h));
            var normed2 = Norm(x, w[p + "post_attention_layernorm.weight"], c.RmsNormEps);
            var gate = Linear(normed2, w[p + "mlp.gate_proj.weight"], c.IntermediateSize);
            var up = Linear(normed2, w[p + "mlp.up_proj.weight"], c.IntermediateSize);
            for (var i = 0; i < t; i++)
            {
                for (var j = 0; j < c.IntermediateSize; j++)
                {
                    gate[i, j] = gate[i, j] / (1 + Math.Exp(-gate[i, j])) * up[i, j];
                }
            }
            Add(x, Linear(gate, w[p + "mlp.down_proj.weight"], h));
        }
        var final = Norm(x, w["model.norm.weight"], c.RmsNormEps);
        var lmHead = c.TieWordEmbeddings ? embed : w["lm_head.weight"];
        var logits = Linear(final, lmHead, c.VocabSize);
        var result = new float[t * c.VocabSize];
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < c.VocabSize; j++)
            {
                result[i * c.VocabSize + j] = (float)logits[i, j];
            }
        }
        return result;
    }

    private static double[,] Norm(double[,] x, float[] weight, double eps)
    {
        int t = x.GetLength(0), h = x.GetLength(1);
        var y = new double[t, h];
        for (var i = 0; i < t; i++)
        {
            double ms = 0;
            for (var j = 0; j < h; j++)
            {
                ms += x[i, j] * x[i, j];
            }
            var inv = 1 / Math.Sqrt(ms / h + eps);
            for (var j = 0; j < h; j++)
            {
                y[i, j] = x[i, j] * inv * weight[j];
            }
        }
        return y;
    }

    // weight is [out, in] row-major, as HF stores it.
    private static double[,] Linear(double[,] x, float[] weight, int outFeatures)
    {
        int t = x.GetLength(0), inFeatures = x.GetLength(1);
        var y = new double[t, outFeatures];
        for (var i = 0; i < t; i++)
        {
            for (var o = 0; o < outFeatures; o++)
            {
                double acc = 0;
                for (var k = 0; k < inFeatures; k++)
                {
                    acc += x[i, k] * weight[o * inFeatures + k];
                }
                y[i, o] = acc;
            }
        }
        return y;
    }

    private static void Rope(double[,] x, int heads, int hd, double theta)
    {
        for (var pos = 0; pos < x.GetLength(0); pos++)
        {
            for (var head = 0; head < heads; head++)
            {
                for (var i = 0; i < hd / 2; i++)
                {
                    var angle = pos / Math.Pow(theta, 2.0 * i / hd);
                    var a = x[pos, head * hd + i];
                    var b = x[pos, head * hd + i + hd / 2];
                    x[pos, head * hd + i] = a * Math.Cos(angle) - b * Math.Sin(angle);
                    x[pos, head * hd + i + hd / 2] = b * Math.Cos(angle) + a * Math.Sin(angle);
                }
            }
        }
    }

    private static void Add(double[,] x, double[,] y)
    {
        for (var i = 0; i < x.GetLength(0); i++)
        {
            for (var j = 0; j < x.GetLength(1); j++)
            {
                x[i, j] += y[i, j];
            }
        }
    }
}
