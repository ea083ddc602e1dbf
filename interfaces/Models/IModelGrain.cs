namespace OpenLedger.Models;

/// <summary>A fine-tuned model (a LoRA adapter on a base model), keyed by model id.</summary>
[Alias("OpenLedger.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Claims the id for a training job, so two jobs cannot publish under one name.</summary>
    [Alias("Reserve")]
    Task Reserve(string jobId, string owner);

    /// <summary>Records the trained adapter and its provenance; only the reserving job may.</summary>
    [Alias("Publish")]
    Task<ModelInfo> Publish(ModelPublication publication);

    /// <summary>The model's provenance, metrics and price.</summary>
    [Alias("GetInfo")]
    Task<ModelInfo> GetInfo();

    /// <summary>Sets the price per 1,000 tokens; the signature must be the owner's.</summary>
    [Alias("SetPrice")]
    Task<ModelInfo> SetPrice(SignedPrice price);
}
