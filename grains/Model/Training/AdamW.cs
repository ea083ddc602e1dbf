using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OpenLedger.Model.Training;

/// <summary>
/// Adam with decoupled weight decay, written out so that its whole state (step and both moments per parameter) can be
/// checkpointed by name and restored bit for bit.
/// </summary>
public sealed class AdamW : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly IReadOnlyList<(string Name, Parameter Parameter)> _parameters;
    private readonly Tensor[] _first;
    private readonly Tensor[] _second;
    private readonly double _weightDecay;

    /// <summary>Optimises <paramref name="parameters"/>, each known by a stable name.</summary>
    public AdamW(IReadOnlyList<(string Name, Parameter Parameter)> parameters, double weightDecay)
    {
        _parameters = parameters;
        _weightDecay = weightDecay;
        _first = parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope()).ToArray();
        _second = parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Updates taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>One update with learning rate <paramref name="learningRate"/> from the parameters' gradients.</summary>
    public void Step(double learningRate)
    {
        Steps++;
        var correction1 = 1 - Math.Pow(Beta1, Steps);
        var correction2 = 1 - Math.Pow(Beta2, Steps);
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Count; i++)
        {
            using var scope = NewDisposeScope();
            var parameter = _parameters[i].Parameter;
            if (parameter.grad is not { } gradient)
            {
                continue;
            }
            _first[i].mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
            _second[i].mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
            if (_weightDecay > 0)
            {
                parameter.mul_(1 - learningRate * _weightDecay);
            }
            var denominator = (_second[i] / correction2).sqrt_().add_(Epsilon);
            parameter.addcdiv_(_first[i], denominator, value: -learningRate / correction1);
        }
    }

    /// <summary>Clears the gradients of every parameter.</summary>
    public void ZeroGradients()
    {
        foreach (var (_, parameter) in _parameters)
        {
            parameter.grad?.zero_();
        }
    }

    /// <summary>The moments by name (<c>NAME.adam_m</c>, <c>NAME.adam_v</c>) for a checkpoint.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> State()
    {
        for (var i = 0; i < _parameters.Count; i++)
        {
            yield return new(_parameters[i].Name + ".adam_m", _first[i]);
            yield return new(_parameters[i].Name + ".adam_v", _second[i]);
        }
    }

    /// <summary>Restores moments and step count saved by <see cref="State"/>.</summary>
    public void Restore(Func<string, Tensor> load, long steps)
    {
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Count; i++)
        {
            using var m = load(_parameters[i].Name + ".adam_m");
            using var v = load(_parameters[i].Name + ".adam_v");
            _first[i].copy_(m);
            _second[i].copy_(v);
        }
        Steps = steps;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _first.Concat(_second))
        {
            t.Dispose();
        }
    }
}
