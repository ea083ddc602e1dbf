using static TorchSharp.torch;

namespace OpenLedger.Model.Checkpoints;

/// <summary>The floating-point dtypes checkpoints may hold, under their safetensors and torch names.</summary>
public static class TensorDtypes
{
    private static readonly (string Safetensors, string Torch, ScalarType Type, int Bytes)[] _known =
    [
        ("F32", "float32", ScalarType.Float32, 4),
        ("F16", "float16", ScalarType.Float16, 2),
        ("BF16", "bfloat16", ScalarType.BFloat16, 2),
    ];

    /// <summary>Whether <paramref name="torchName"/> (config.json's torch_dtype) is supported.</summary>
    public static bool IsKnownTorchName(string torchName) => _known.Any(k => k.Torch == torchName);

    /// <summary>The scalar type for a safetensors dtype code, or null when unsupported.</summary>
    public static (ScalarType Type, int Bytes)? FromSafetensors(string code)
    {
        foreach (var k in _known)
        {
            if (k.Safetensors == code)
            {
                return (k.Type, k.Bytes);
            }
        }
        return null;
    }

    /// <summary>The safetensors dtype code for a scalar type.</summary>
    public static string ToSafetensors(ScalarType type) =>
        _known.FirstOrDefault(k => k.Type == type).Safetensors
        ?? throw new ArgumentException($"dtype {type} cannot be stored; use float32, float16 or bfloat16", nameof(type));

    /// <summary>The scalar type named by config.json's torch_dtype.</summary>
    public static ScalarType FromTorchName(string torchName) =>
        _known.FirstOrDefault(k => k.Torch == torchName).Safetensors is null
            ? throw new ArgumentException($"torch_dtype '{torchName}' is not float32, float16 or bfloat16", nameof(torchName))
            : _known.First(k => k.Torch == torchName).Type;

    /// <summary>Bytes per element of a storable type.</summary>
    public static int ElementBytes(ScalarType type) => _known.First(k => k.Type == type).Bytes;
}
