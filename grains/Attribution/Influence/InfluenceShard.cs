namespace OpenLedger.Attribution.Influence;

/// <summary>
/// The projected training gradients of one shard of examples, and TracIn scoring against an inference:
/// score(example) = Σ over checkpoints of learning rate × (example gradient · inference gradient). Rows are scored a
/// block at a time, so memory holds one block of scores, never an examples × queries matrix.
/// With a <see cref="RelevanceGate"/>, an example's score counts towards its contributor's sum only when its relative
/// influence (score / √(self-influence × the inference's own), a cosine in the DataInf metric) reaches the gate's
/// floor: an answer about nothing in the data then gives nobody gradient evidence, instead of spreading noise.
/// </summary>
public sealed class InfluenceShard
{
    private readonly IReadOnlyList<ExampleRef> _examples;
    private readonly IReadOnlyList<CheckpointGradients> _checkpoints;
    private readonly double[]? _selfInfluence;

    /// <summary>A shard of <paramref name="examples"/> with their gradients at each of <paramref name="checkpoints"/>.</summary>
    public InfluenceShard(IReadOnlyList<ExampleRef> examples, IReadOnlyList<CheckpointGradients> checkpoints)
    {
        if (checkpoints.Count == 0)
        {
            throw new ArgumentException("Influence needs gradients from at least one checkpoint.");
        }
        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.Rows.Length != examples.Count * checkpoint.Dimensions)
            {
                throw new ArgumentException($"A checkpoint holds {checkpoint.Rows.Length} values; {examples.Count} examples x {checkpoint.Dimensions} dimensions were expected.");
            }
        }
        _examples = examples;
        _checkpoints = checkpoints;
        if (checkpoints.All(c => c.SelfInfluence is { } self && self.Length == examples.Count))
        {
            // Weighted like the scores, so score / √(self × query) is a cosine in one inner product.
            _selfInfluence = new double[examples.Count];
            foreach (var checkpoint in checkpoints)
            {
                for (var i = 0; i < examples.Count; i++)
                {
                    _selfInfluence[i] += checkpoint.LearningRate * checkpoint.SelfInfluence![i];
                }
            }
        }
    }

    /// <summary>Examples in the shard.</summary>
    public int Examples => _examples.Count;

    /// <summary>
    /// Scores every example against <paramref name="inference"/> (its projected gradient at each checkpoint, in the
    /// same order), summing per contributor and keeping the <paramref name="topK"/> strongest examples.
    /// </summary>
    public ShardResult Score(IReadOnlyList<float[]> inference, int topK, int blockRows = 4096, RelevanceGate? gate = null)
    {
        if (gate is not null && _selfInfluence is null)
        {
            throw new ArgumentException("A relevance gate needs every checkpoint's self-influence; this shard's gradients were stored without it.");
        }
        if (inference.Count != _checkpoints.Count)
        {
            throw new ArgumentException($"The inference has gradients for {inference.Count} checkpoints; the shard was trained over {_checkpoints.Count} checkpoints.");
        }
        for (var c = 0; c < inference.Count; c++)
        {
            if (inference[c].Length != _checkpoints[c].Dimensions)
            {
                throw new ArgumentException($"Checkpoint {c}: the inference gradient has {inference[c].Length} dimensions; the shard's have {_checkpoints[c].Dimensions}.");
            }
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        var sums = new Dictionary<string, Int128>(StringComparer.Ordinal);
        var top = new List<ScoredExample>();
        var block = new double[Math.Min(blockRows, Math.Max(1, _examples.Count))];
        for (var first = 0; first < _examples.Count; first += block.Length)
        {
            var rows = Math.Min(block.Length, _examples.Count - first);
            Array.Clear(block);
            for (var c = 0; c < _checkpoints.Count; c++)
            {
                var checkpoint = _checkpoints[c];
                for (var r = 0; r < rows; r++)
                {
                    block[r] += checkpoint.LearningRate * Dot(checkpoint.Rows.AsSpan((first + r) * checkpoint.Dimensions, checkpoint.Dimensions), inference[c]);
                }
            }
            for (var r = 0; r < rows; r++)
            {
                var example = _examples[first + r];
                var score = FixedPoint.From(block[r]);
                if (gate is null || gate.Admits(block[r], _selfInfluence![first + r]))
                {
                    sums[example.Contributor] = sums.GetValueOrDefault(example.Contributor) + score;
                }
                top.Add(new ScoredExample(example, score));
            }
            // Keep only the current best topK, so the list stays one block long at most.
            top.Sort(ShardResult.Order);
            if (top.Count > topK)
            {
                top.RemoveRange(topK, top.Count - topK);
            }
        }
        return new ShardResult(sums, top);
    }

    // Accumulated in double, in a fixed order, so a row scores the same bits wherever it is stored.
    internal static double Dot(ReadOnlySpan<float> row, ReadOnlySpan<float> query)
    {
        double total = 0;
        for (var i = 0; i < row.Length; i++)
        {
            total += (double)row[i] * query[i];
        }
        return total;
    }
}
