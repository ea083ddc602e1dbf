namespace OpenLedger.Attribution.Influence;

/// <summary>
/// Projected per-example gradients at one training checkpoint: <see cref="Rows"/> holds one row of
/// <see cref="Dimensions"/> floats per example, in example order; <see cref="LearningRate"/> weights the checkpoint
/// in TracIn's sum. <see cref="SelfInfluence"/>, when present, is each example's g·H⁻¹g at this checkpoint (DataInf),
/// the scale relative influence is measured against.
/// </summary>
public sealed record CheckpointGradients(double LearningRate, int Dimensions, float[] Rows, double[]? SelfInfluence = null)
{
    /// <summary>Examples held.</summary>
    public int Examples => Rows.Length / Dimensions;
}
