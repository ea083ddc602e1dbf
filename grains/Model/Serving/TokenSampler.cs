using static TorchSharp.torch;

namespace OpenLedger.Model.Serving;

/// <summary>Picks the next token from one row of logits by <see cref="SamplingParameters"/>.</summary>
public sealed class TokenSampler : IDisposable
{
    private readonly SamplingParameters _parameters;
    private readonly Generator _generator;

    /// <summary>A sampler whose draws are fixed by the parameters' seed.</summary>
    public TokenSampler(SamplingParameters parameters)
    {
        _parameters = parameters;
        _generator = new Generator((ulong)parameters.Seed);
    }

    /// <summary>The next token for <paramref name="logits"/> [vocab].</summary>
    public int Next(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var scores = logits.to_type(ScalarType.Float32).cpu();
        if (_parameters.Temperature == 0)
        {
            return (int)scores.argmax().item<long>();
        }
        var probabilities = (scores / _parameters.Temperature).softmax(-1);
        if (_parameters.TopP < 1)
        {
            // Keep the most likely tokens until their mass reaches top_p (always at least the first).
            var (sorted, order) = probabilities.sort(descending: true);
            var before = sorted.cumsum(0) - sorted;
            var keep = before < _parameters.TopP;
            var trimmed = zeros_like(probabilities).index_put_(sorted * keep.to_type(sorted.dtype), order);
            probabilities = trimmed / trimmed.sum();
        }
        return (int)multinomial(probabilities, 1, generator: _generator).item<long>();
    }

    /// <inheritdoc />
    public void Dispose() => _generator.Dispose();
}
