namespace OpenLedger.Model.Training;

/// <summary>One optimizer step's report: where the run is, the step's loss, the tokens it predicted and throughput.</summary>
public sealed record TrainingProgress(long Step, long TotalSteps, int Epoch, double Loss, double LearningRate, double TokensPerSecond, long Tokens);
