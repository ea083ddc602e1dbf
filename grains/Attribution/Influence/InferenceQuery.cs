namespace OpenLedger.Attribution.Influence;

/// <summary>
/// What every shard scores an inference against, built one kept checkpoint at a time: the inference's gradient
/// preconditioned by that checkpoint's DataInf inverse, and its own Σ lr·v·H⁻¹v, the scale relative influence is
/// measured against. One place, so the grid, its tests and its benchmark ask the shards the same question.
/// </summary>
public sealed class InferenceQuery
{
    private readonly List<float[]> _vectors = [];

    /// <summary>The preconditioned gradient per checkpoint, in the order they were added.</summary>
    public IReadOnlyList<float[]> Vectors => _vectors;

    /// <summary>Σ over checkpoints of lr × v·H⁻¹v.</summary>
    public double Norm { get; private set; }

    /// <summary>Adds the inference's projected <paramref name="gradient"/> at a checkpoint of <paramref name="learningRate"/>.</summary>
    public void Add(float[] gradient, DataInf inverse, double learningRate)
    {
        var preconditioned = inverse.Precondition(gradient);
        _vectors.Add(preconditioned);
        Norm += learningRate * InfluenceShard.Dot(gradient, preconditioned);
    }

    /// <summary>The relevance gate at <paramref name="minRelevance"/> for this inference.</summary>
    public RelevanceGate Gate(double minRelevance) => new(Norm, minRelevance);
}
