namespace OpenLedger.Models;

/// <summary>Where a training job stands.</summary>
[GenerateSerializer, Alias("OpenLedger.TrainingState")]
public enum TrainingState
{
    /// <summary>Accepted; loading the base model and data.</summary>
    Preparing = 0,
    /// <summary>Taking optimizer steps.</summary>
    Running = 1,
    /// <summary>Finished and published.</summary>
    Completed = 2,
    /// <summary>Stopped on request; the last checkpoint is kept.</summary>
    Cancelled = 3,
    /// <summary>Stopped by an error, named in <see cref="TrainingJobStatus.Error"/>.</summary>
    Failed = 4,
}

/// <summary>A point of the loss curve.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.LossPoint")]
public sealed record LossPoint([property: Id(0)] long Step, [property: Id(1)] double Loss);

/// <summary>A training job's progress, as callers poll it.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.TrainingJobStatus")]
public sealed record TrainingJobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] TrainingJobSpec Spec,
    [property: Id(2)] TrainingState State,
    [property: Id(3)] long Step,
    [property: Id(4)] long TotalSteps,
    [property: Id(5)] int Epoch,
    [property: Id(6)] double Loss,
    [property: Id(7)] double TokensPerSecond,
    [property: Id(8)] long CheckpointStep,
    [property: Id(9)] int Resumes,
    [property: Id(10)] double? BaseValidationLoss,
    [property: Id(11)] double? ValidationLoss,
    [property: Id(12)] IReadOnlyList<LossPoint> LossCurve,
    [property: Id(13)] string? Error,
    [property: Id(14)] DateTimeOffset StartedAt,
    [property: Id(15)] DateTimeOffset UpdatedAt,
    [property: Id(16)] int TrainingExamples,
    [property: Id(17)] int ValidationExamples,
    [property: Id(18)] string Device)
{
    /// <summary>Whether the job will make no further progress.</summary>
    public bool IsFinal => State is TrainingState.Completed or TrainingState.Cancelled or TrainingState.Failed;
}
