namespace OpenLedger.Models;

/// <summary>
/// A fine-tuning job, keyed by job id. It trains on the silo it is activated on (CPU, or CUDA where present),
/// checkpoints to Blob storage, resumes from its last checkpoint after a silo restart, and publishes the adapter
/// with its provenance to the model grain.
/// </summary>
[Alias("OpenLedger.ITrainingJobGrain")]
public interface ITrainingJobGrain : IGrainWithStringKey
{
    /// <summary>Validates and starts the job; returns at once with the job's first status.</summary>
    [Alias("Start")]
    Task<TrainingJobStatus> Start(TrainingJobSpec spec);

    /// <summary>The job's progress; poll it to watch.</summary>
    [Alias("GetStatus")]
    Task<TrainingJobStatus> GetStatus();

    /// <summary>Stops the job between steps (waiting for the step in progress); its last checkpoint stays in Blob storage.</summary>
    [Alias("Cancel"), ResponseTimeout("00:02:00")]
    Task<TrainingJobStatus> Cancel();
}
