using static TorchSharp.torch;

namespace OpenLedger.Model;

/// <summary>
/// Keys and values of every layer for the tokens seen so far, so generation feeds one new token per step instead of
/// the whole sequence. Owns its tensors.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    /// <summary>An empty cache for <paramref name="layers"/> layers.</summary>
    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Tokens cached so far.</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys and values [B, kvHeads, T, hd] and returns the whole history.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var k = _keys[layer] is null ? keys.detach().clone() : cat([_keys[layer]!, keys.detach()], 2);
        var v = _values[layer] is null ? values.detach().clone() : cat([_values[layer]!, values.detach()], 2);
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        k.DetachFromDisposeScope();
        v.DetachFromDisposeScope();
        _keys[layer] = k;
        _values[layer] = v;
        return (k, v);
    }

    /// <summary>Layer <paramref name="layer"/>'s keys and values [B, kvHeads, S, hd], or nulls before the first append.</summary>
    internal (Tensor? Keys, Tensor? Values) Layer(int layer) => (_keys[layer], _values[layer]);

    /// <inheritdoc />
    public void Dispose()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose();
            _values[i]?.Dispose();
            _keys[i] = _values[i] = null;
        }
    }
}
