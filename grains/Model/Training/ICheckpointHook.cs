using TorchSharp.Modules;

namespace OpenLedger.Model.Training;

/// <summary>
/// What a checkpoint hook sees: the model as trained so far (adapters attached), its trainable factors by name,
/// every training example with its provenance, the step and learning rate, and the run's total steps. Attribution records per-example
/// gradients here (TracIn sums lr * grad(test) . grad(train) over these checkpoints).
/// </summary>
public sealed record CheckpointContext(
    LlamaModel Model,
    IReadOnlyList<(string Name, Parameter Parameter)> Trainable,
    IReadOnlyList<TrainingExample> Examples,
    long Step,
    double LearningRate,
    int SequenceLength,
    long TotalSteps);

/// <summary>Called at every checkpoint of a training run, on the training thread, before the checkpoint is saved.</summary>
public interface ICheckpointHook
{
    /// <summary>Records whatever this hook keeps about the run at this checkpoint.</summary>
    void OnCheckpoint(CheckpointContext context);
}
