using Microsoft.Extensions.Options;
using OpenLedger.Grains.Storage;
using OpenLedger.Grains.Training;
using OpenLedger.Model.Training;
using OpenLedger.Models;

namespace OpenLedger.Grains.Attribution;

/// <summary>Gives every training job an <see cref="AttributionIndexHook"/>, so every model trained here can be attributed.</summary>
public sealed class AttributionIndexHookProvider(BlobArtifactStore artifacts, IOptions<AttributionOptions> options) : ICheckpointHookProvider
{
    /// <inheritdoc />
    public ICheckpointHook? ForJob(string jobId, TrainingJobSpec spec) =>
        new AttributionIndexHook(artifacts, options.Value, spec.ModelId, spec.BaseModel, TrainingRun.EngineSettings(spec.Settings).Lora,
            Math.Max(1, spec.Settings.CheckpointEvery));
}
