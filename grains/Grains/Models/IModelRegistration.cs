using OpenLedger.Models;

namespace OpenLedger.Grains.Models;

/// <summary>
/// How a training job claims a model id and records what it trained: internal to the grid, so no client of the
/// gateway can reserve an id or publish provenance it did not train (clients see <see cref="IModelGrain"/> only).
/// </summary>
[Alias("OpenLedger.IModelRegistration")]
public interface IModelRegistration : IGrainWithStringKey
{
    /// <summary>Claims the id for a training job, so two jobs cannot publish under one name.</summary>
    [Alias("Reserve")]
    Task Reserve(string jobId, string owner);

    /// <summary>Records the trained adapter and its provenance; only the reserving job may.</summary>
    [Alias("Publish")]
    Task<ModelInfo> Publish(ModelPublication publication);
}
