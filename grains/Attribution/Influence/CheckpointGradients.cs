namespace OpenLedger.Attribution.Influence;

/// <summary>
/// Projected per-example gradients at one training checkpoint: <see cref="Rows"/> holds one row of
/// <see cref="Dimensions"/> floats per example, in example order; <see cref="LearningRate"/> weights the checkpoint
/// in TracIn's sum.
/// </summary>
public sealed record CheckpointGradients(double LearningRate, int Dimensions, float[] Rows)
{
    /// <summary>Examples held.</summary>
    public int Examples => Rows.Length / Dimensions;
}
