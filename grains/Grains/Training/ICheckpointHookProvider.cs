using OpenLedger.Model.Training;
using OpenLedger.Models;

namespace OpenLedger.Grains.Training;

/// <summary>
/// Supplies checkpoint hooks for a training job (attribution registers one to record per-example gradients and
/// build its index). Register implementations in the silo's services; every one is asked for each job.
/// </summary>
public interface ICheckpointHookProvider
{
    /// <summary>A hook for job <paramref name="jobId"/>, or null when this provider has nothing to record.</summary>
    ICheckpointHook? ForJob(string jobId, TrainingJobSpec spec);
}
