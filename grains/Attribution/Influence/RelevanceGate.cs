namespace OpenLedger.Attribution.Influence;

/// <summary>
/// Which examples' influence counts: those whose relative influence score / √(self-influence × <see cref="QueryNorm"/>)
/// is at least <see cref="MinRelevance"/>. <see cref="QueryNorm"/> is the inference's own Σ lr·v·H⁻¹v over the
/// checkpoints. Relative influence (RelatIF) keeps examples with huge gradients, such as mislabelled or outlying
/// records, from collecting influence on every answer.
/// </summary>
public sealed record RelevanceGate(double QueryNorm, double MinRelevance)
{
    /// <summary>Whether an example with <paramref name="score"/> and <paramref name="selfInfluence"/> passes.</summary>
    public bool Admits(double score, double selfInfluence) =>
        score > 0 && selfInfluence > 0 && QueryNorm > 0 && score >= MinRelevance * Math.Sqrt(selfInfluence * QueryNorm);
}
