using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLedger.Attribution.Influence;
using OpenLedger.Grains.Storage;
using OpenLedger.Grains.Training;
using OpenLedger.Model.Training;
using OpenLedger.Models;

namespace OpenLedger.Grains.Attribution;

/// <summary>Gives every training job an <see cref="AttributionIndexHook"/>, so every model trained here can be attributed.</summary>
public sealed partial class AttributionIndexHookProvider(BlobArtifactStore artifacts, IOptions<AttributionOptions> options, ILogger<AttributionIndexHookProvider> logger)
    : ICheckpointHookProvider
{
    /// <inheritdoc />
    public ICheckpointHook? ForJob(string jobId, TrainingJobSpec spec)
    {
        var lora = TrainingRun.EngineSettings(spec.Settings).Lora;
        var block = 2L * lora.Rank * options.Value.ProjectionDimensions;
        if (block > DataInf.MaxBlockLength)
        {
            // Training goes on; its answers will be recorded as not attributable, naming the index as missing.
            LogTooWide(logger, jobId, lora.Rank, options.Value.ProjectionDimensions, DataInf.MaxBlockLength);
            return null;
        }
        return new AttributionIndexHook(artifacts, options.Value, spec.ModelId, spec.BaseModel, lora, Math.Max(1, spec.Settings.CheckpointEvery));
    }

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning,
        Message = "Job {Job}: LoRA rank {Rank} with {Dimensions} projection rows gives layer blocks wider than DataInf's {Max}; the model will have no attribution index")]
    private static partial void LogTooWide(ILogger logger, string job, int rank, int dimensions, int max);
}
