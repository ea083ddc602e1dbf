namespace OpenLedger.Model.Training;

/// <summary>
/// What a training run does: passes over the data, peak learning rate (warmed up linearly over the first 5% of steps,
/// then cosine-decayed to a tenth), examples per step, an optional cap on steps (0: none), the longest token sequence, and the seed every random choice
/// (initialisation, example order, dropout) derives from.
/// </summary>
public sealed record TrainingHyperparameters(
    int Epochs,
    double LearningRate,
    int BatchSize,
    int SequenceLength,
    long Seed,
    double WeightDecay = 0.0,
    int CheckpointEvery = 20,
    int MaxSteps = 0)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Epochs is < 1 or > 1000)
        {
            throw new ArgumentException($"epochs {Epochs} must be between 1 and 1000.");
        }
        if (LearningRate <= 0 || LearningRate > 1 || double.IsNaN(LearningRate))
        {
            throw new ArgumentException($"learning rate {LearningRate} must be in (0, 1].");
        }
        if (BatchSize is < 1 or > 4096)
        {
            throw new ArgumentException($"batch size {BatchSize} must be between 1 and 4096.");
        }
        if (SequenceLength is < 2 or > 65536)
        {
            throw new ArgumentException($"sequence length {SequenceLength} must be between 2 and 65536.");
        }
        if (WeightDecay < 0 || double.IsNaN(WeightDecay))
        {
            throw new ArgumentException($"weight decay {WeightDecay} must not be negative.");
        }
        if (MaxSteps < 0)
        {
            throw new ArgumentException($"max steps {MaxSteps} must not be negative (0 means every epoch).");
        }
        if (CheckpointEvery < 1)
        {
            throw new ArgumentException($"checkpoint interval {CheckpointEvery} must be at least one step.");
        }
    }

    /// <summary>The learning rate at optimizer step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public double LearningRateAt(long step, long totalSteps)
    {
        var warmup = Math.Max(1, totalSteps / 20);
        if (step < warmup)
        {
            return LearningRate * (step + 1) / warmup;
        }
        var progress = (double)(step - warmup) / Math.Max(1, totalSteps - warmup);
        return LearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
