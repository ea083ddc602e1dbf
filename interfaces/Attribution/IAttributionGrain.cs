namespace OpenLedger.Attribution;

/// <summary>
/// The attribution of one served inference (key: the inference id). It fans out to the model's shard grains, merges
/// their exact partial sums and persists the record with its evidence.
/// </summary>
[Alias("OpenLedger.IAttributionGrain")]
public interface IAttributionGrain : IGrainWithStringKey
{
    /// <summary>Records <paramref name="trace"/> as pending without computing it (the asynchronous path). Idempotent.</summary>
    [Alias("Accept")]
    Task Accept(InferenceTrace trace);

    /// <summary>Computes the attribution now unless it is already final, and returns the record. Idempotent.</summary>
    /// <remarks>A cold attribution loads the base model and every shard; it may take longer than a usual grain call.</remarks>
    [Alias("Attribute")]
    [ResponseTimeout("00:05:00")]
    Task<AttributionRecord> Attribute(InferenceTrace trace);

    /// <summary>The record as it stands; throws <c>UnknownInferenceException</c> when no inference has this id.</summary>
    [Alias("Get")]
    Task<AttributionRecord> Get();
}
