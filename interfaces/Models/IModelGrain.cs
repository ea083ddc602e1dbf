namespace OpenLedger.Models;

/// <summary>
/// A fine-tuned model (a LoRA adapter on a base model), keyed by model id. Clients read it and its owner reprices it by
/// signature; reserving and publishing are the training job's alone, on an interface inside the grains.
/// </summary>
[Alias("OpenLedger.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>The model's provenance, metrics and price.</summary>
    [Alias("GetInfo")]
    Task<ModelInfo> GetInfo();

    /// <summary>Sets the price per 1,000 tokens; the signature must be the owner's.</summary>
    [Alias("SetPrice")]
    Task<ModelInfo> SetPrice(SignedPrice price);
}
