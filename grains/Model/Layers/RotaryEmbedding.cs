using static TorchSharp.torch;

namespace OpenLedger.Model.Layers;

/// <summary>
/// Rotary position embeddings in Hugging Face's "rotate half" layout: the head is split into two halves that rotate
/// as (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin), with frequencies theta^(-2i/d).
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly float[] _inverseFrequencies;

    /// <summary>Frequencies for heads of width <paramref name="headDim"/>, with optional Llama 3.1 scaling.</summary>
    public RotaryEmbedding(int headDim, double theta, RopeScaling? scaling = null)
    {
        _inverseFrequencies = new float[headDim / 2];
        for (var i = 0; i < headDim / 2; i++)
        {
            var frequency = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
            _inverseFrequencies[i] = (float)(scaling is null ? frequency : Scale(frequency, scaling));
        }
    }

    /// <summary>Applies the rotation to q or k of shape [B, heads, T, hd] at positions start..start+T-1.</summary>
    public Tensor Apply(Tensor x, long start)
    {
        using var scope = NewDisposeScope();
        var length = x.shape[2];
        var positions = arange(start, start + length, dtype: ScalarType.Float32, device: x.device);
        var frequencies = outer(positions, tensor(_inverseFrequencies, device: x.device)); // [T, hd/2]
        var angles = cat([frequencies, frequencies], -1);                                   // [T, hd]
        var cos = angles.cos().to_type(x.dtype);
        var sin = angles.sin().to_type(x.dtype);
        var half = x.shape[3] / 2;
        var x1 = x.narrow(3, 0, half);
        var x2 = x.narrow(3, half, half);
        var rotated = cat([-x2, x1], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Applies the rotation to one new token per row, q or k of shape [B, heads, 1, hd], row b sitting at position
    /// <paramref name="positions"/>[b] (rows of a decode batch have different histories).
    /// </summary>
    public Tensor ApplyAt(Tensor x, Tensor positions)
    {
        using var scope = NewDisposeScope();
        var frequencies = positions.to_type(ScalarType.Float32).unsqueeze(1) * tensor(_inverseFrequencies, device: x.device).unsqueeze(0); // [B, hd/2]
        var angles = cat([frequencies, frequencies], -1).view(x.shape[0], 1, 1, x.shape[3]);                                           // [B, 1, 1, hd]
        var cos = angles.cos().to_type(x.dtype);
        var sin = angles.sin().to_type(x.dtype);
        var half = x.shape[3] / 2;
        var rotated = cat([-x.narrow(3, half, half), x.narrow(3, 0, half)], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }

    // Llama 3.1: keep high frequencies, divide low ones by the factor, and blend smoothly in between.
    private static double Scale(double frequency, RopeScaling s)
    {
        var lowFrequencyWavelength = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        var highFrequencyWavelength = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        var wavelength = 2 * Math.PI / frequency;
        if (wavelength < highFrequencyWavelength)
        {
            return frequency;
        }
        if (wavelength > lowFrequencyWavelength)
        {
            return frequency / s.Factor;
        }
        var smooth = (s.OriginalMaxPositionEmbeddings / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return (1 - smooth) * frequency / s.Factor + smooth * frequency;
    }
}
