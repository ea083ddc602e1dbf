using OpenLedger.Models;

namespace OpenLedger.Grains.Training;

/// <summary>A training job's persisted progress; written at start, at each checkpoint and at the end.</summary>
[GenerateSerializer, Alias("OpenLedger.Grains.TrainingJobState")]
public sealed class TrainingJobState
{
    /// <summary>The request, once accepted.</summary>
    [Id(0)] public TrainingJobSpec? Spec { get; set; }

    /// <summary>Where the job stands.</summary>
    [Id(1)] public TrainingState State { get; set; }

    /// <summary>The last reported step and its figures.</summary>
    [Id(2)] public long Step { get; set; }

    /// <summary>Steps in the whole run.</summary>
    [Id(3)] public long TotalSteps { get; set; }

    /// <summary>The epoch of the last step.</summary>
    [Id(4)] public int Epoch { get; set; }

    /// <summary>The last step's loss.</summary>
    [Id(5)] public double Loss { get; set; }

    /// <summary>The last step's throughput.</summary>
    [Id(6)] public double TokensPerSecond { get; set; }

    /// <summary>The step of the checkpoint in Blob storage (0: none yet).</summary>
    [Id(7)] public long CheckpointStep { get; set; }

    /// <summary>How many times the job resumed from a checkpoint.</summary>
    [Id(8)] public int Resumes { get; set; }

    /// <summary>The base model's validation loss, measured before training.</summary>
    [Id(9)] public double? BaseValidationLoss { get; set; }

    /// <summary>The adapter's validation loss, measured at the end.</summary>
    [Id(10)] public double? ValidationLoss { get; set; }

    /// <summary>Loss by step (the most recent points).</summary>
    [Id(11)] public List<LossPoint> LossCurve { get; set; } = new();

    /// <summary>Why the job failed.</summary>
    [Id(12)] public string? Error { get; set; }

    /// <summary>When the job was accepted.</summary>
    [Id(13)] public DateTimeOffset StartedAt { get; set; }

    /// <summary>When this state was last written.</summary>
    [Id(14)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Examples trained on.</summary>
    [Id(15)] public int TrainingExamples { get; set; }

    /// <summary>Examples held out.</summary>
    [Id(16)] public int ValidationExamples { get; set; }

    /// <summary>The device the job ran on last.</summary>
    [Id(17)] public string Device { get; set; } = "";

    /// <summary>Mean training loss over the last epoch's steps, at the end.</summary>
    [Id(18)] public double? TrainLoss { get; set; }
}
