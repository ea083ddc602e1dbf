using OpenLedger.Model;
using static TorchSharp.torch;

namespace OpenLedger.Model.Tests;

/// <summary>Tiny Llama configs and randomly filled models that tests generate for themselves.</summary>
internal static class TinyModels
{
    public static LlamaConfig Config(bool tied = false, int layers = 2, int vocab = 48) => new()
    {
        VocabSize = vocab,
        HiddenSize = 16,
        IntermediateSize = 24,
        NumHiddenLayers = layers,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 4,
        MaxPositionEmbeddings = 64,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        TieWordEmbeddings = tied,
        BosTokenId = 0,
        EosTokenId = 1,
    };

    /// <summary>A model whose weights (norms included) are random, so every code path changes the output.</summary>
    public static LlamaModel Random(LlamaConfig config, long seed)
    {
        var model = new LlamaModel(config);
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.BaseParameters())
        {
            using var draw = name.EndsWith("norm.weight", StringComparison.Ordinal)
                ? 1 + randn(parameter.shape, generator: generator) * 0.1
                : randn(parameter.shape, generator: generator) * 0.3;
            parameter.copy_(draw);
        }
        model.eval();
        return model;
    }

    public static Tensor Tokens(params long[][] rows) =>
        tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, rows[0].Length });

    public static float[] Values(Tensor t) => t.detach().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "openledger-model-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: {actual[i]} vs {expected[i]}");
        }
    }
}
