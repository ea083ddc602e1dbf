using static TorchSharp.torch;

namespace OpenLedger.Model;

/// <summary>
/// Keys and values for a whole decode batch in one preallocated tensor per layer, [rows, kvHeads, length, hd], row b
/// holding sequence b's history. A decode step writes every row's new position in one indexed store and attends
/// over all rows in one batched product, masked per row to its own length, so a step costs the same number of
/// operations for 1 row or 64. Rows stay packed at the front: a finished row is replaced by the last one.
/// </summary>
public sealed class BatchKvCache : IDisposable
{
    private const long InitialLength = 128;

    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;
    private readonly long[] _lengths;
    private readonly long _kvHeads;
    private readonly long _headDim;
    private readonly long _maxLength;
    private readonly ScalarType _dtype;
    private readonly Device _device;
    private long _allocated;
    private long _span;

    /// <summary>Room for <paramref name="rows"/> sequences of up to the model's context on <paramref name="device"/>.</summary>
    public BatchKvCache(LlamaConfig config, int rows, ScalarType dtype, Device device)
    {
        _keys = new Tensor?[config.NumHiddenLayers];
        _values = new Tensor?[config.NumHiddenLayers];
        _lengths = new long[rows];
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.EffectiveHeadDim;
        _maxLength = config.MaxPositionEmbeddings;
        _dtype = dtype;
        _device = device;
    }

    /// <summary>Rows available.</summary>
    public int Rows => _lengths.Length;

    /// <summary>Tokens cached in row <paramref name="row"/>.</summary>
    public long LengthOf(int row) => _lengths[row];

    /// <summary>Copies a prefilled sequence's history into row <paramref name="row"/>.</summary>
    public void Load(int row, KvCache cache)
    {
        using var noGrad = no_grad();
        var length = cache.Length;
        Reserve(length);
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            var (keys, values) = cache.Layer(layer);
            _keys[layer]![row].narrow(1, 0, length).copy_(keys![0]);
            _values[layer]![row].narrow(1, 0, length).copy_(values![0]);
        }
        _lengths[row] = length;
    }

    /// <summary>
    /// Writes a batch of prompts' keys and values [rows, kvHeads, T, hd] for <paramref name="layer"/> into rows
    /// <paramref name="firstRow"/> onward, positions 0..T-1. Lengths are set by <see cref="SetLength"/> once every
    /// layer is written; padding beyond a row's length is masked until decoding overwrites it.
    /// </summary>
    public void Store(int layer, int firstRow, Tensor keys, Tensor values)
    {
        var length = keys.shape[2];
        Reserve(length);
        using var noGrad = no_grad();
        _keys[layer]!.narrow(0, firstRow, keys.shape[0]).narrow(2, 0, length).copy_(keys);
        _values[layer]!.narrow(0, firstRow, values.shape[0]).narrow(2, 0, length).copy_(values);
    }

    /// <summary>Sets how many tokens row <paramref name="row"/> holds.</summary>
    public void SetLength(int row, long length) => _lengths[row] = length;

    /// <summary>Moves row <paramref name="from"/>'s history into row <paramref name="to"/> (which it replaces).</summary>
    public void Move(int from, int to)
    {
        if (from == to)
        {
            return;
        }
        using var noGrad = no_grad();
        var length = _lengths[from];
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer]![to].narrow(1, 0, length).copy_(_keys[layer]![from].narrow(1, 0, length));
            _values[layer]![to].narrow(1, 0, length).copy_(_values[layer]![from].narrow(1, 0, length));
        }
        _lengths[to] = length;
        _lengths[from] = 0;
    }

    /// <summary>Empties row <paramref name="row"/>.</summary>
    public void Clear(int row) => _lengths[row] = 0;

    /// <summary>
    /// Starts a decode step over rows 0..<paramref name="rows"/>-1: each row's new token goes at its current length.
    /// Returns those positions [rows] and an additive mask [rows, 1, 1, S] that hides every row's unused tail.
    /// </summary>
    public (Tensor Positions, Tensor Mask) BeginStep(int rows)
    {
        var span = _lengths.AsSpan(0, rows);
        long longest = 0;
        foreach (var length in span)
        {
            longest = Math.Max(longest, length);
        }
        Reserve(longest + 1);
        _span = longest + 1;
        var positions = tensor(span.ToArray(), device: _device);
        var visible = arange(longest + 1, device: _device).unsqueeze(0) <= positions.unsqueeze(1);          // [rows, S]
        var mask = zeros(rows, longest + 1, dtype: ScalarType.Float32, device: _device)
            .masked_fill(visible.logical_not(), float.NegativeInfinity).view(rows, 1, 1, longest + 1);
        return (positions, mask);
    }

    /// <summary>
    /// Writes this step's keys and values [rows, kvHeads, 1, hd] for <paramref name="layer"/> at
    /// <paramref name="positions"/> and returns the batch's history [rows, kvHeads, S, hd] (a view, not a copy).
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values, Tensor positions)
    {
        var rows = keys.shape[0];
        var rowIndex = TensorIndex.Tensor(arange(rows, device: _device));
        var at = TensorIndex.Tensor(positions);
        _keys[layer]!.index_put_(keys.squeeze(2).to_type(_dtype), rowIndex, TensorIndex.Colon, at);
        _values[layer]!.index_put_(values.squeeze(2).to_type(_dtype), rowIndex, TensorIndex.Colon, at);
        return (_keys[layer]!.narrow(0, 0, rows).narrow(2, 0, _span), _values[layer]!.narrow(0, 0, rows).narrow(2, 0, _span));
    }

    /// <summary>Ends the step begun by <see cref="BeginStep"/>: every row is one token longer.</summary>
    public void EndStep(int rows)
    {
        for (var row = 0; row < rows; row++)
        {
            _lengths[row]++;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer]?.Dispose();
            _values[layer]?.Dispose();
            _keys[layer] = _values[layer] = null;
        }
    }

    // Grows the length dimension (doubling, up to the context) so every row can hold `length` tokens.
    private void Reserve(long length)
    {
        if (length > _maxLength)
        {
            throw new InvalidOperationException($"A sequence of {length} tokens exceeds the model's context of {_maxLength}.");
        }
        if (length <= _allocated)
        {
            return;
        }
        var size = Math.Max(_allocated, Math.Min(InitialLength, _maxLength));
        while (size < length)
        {
            size = Math.Min(size * 2, _maxLength);
        }
        using var noGrad = no_grad();
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer] = Grow(_keys[layer], size);
            _values[layer] = Grow(_values[layer], size);
        }
        _allocated = size;
    }

    private Tensor Grow(Tensor? old, long size)
    {
        var grown = zeros(new[] { (long)_lengths.Length, _kvHeads, size, _headDim }, dtype: _dtype, device: _device);
        if (old is not null)
        {
            grown.narrow(2, 0, old.shape[2]).copy_(old);
            old.Dispose();
        }
        return grown.DetachFromDisposeScope();
    }
}
