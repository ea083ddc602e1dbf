namespace OpenLedger.Serving;

/// <summary>
/// A model the grid serves, as <c>/v1/models</c> lists it: a deployed adapter (with its base model, residency, the
/// silo holding it, rank, device bytes, pinning and the price per thousand tokens in wei, null when free) or a base
/// model (<see cref="Residency"/> null, no price).
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ServedModel")]
public sealed record ServedModel(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset Created,
    [property: Id(2)] string? BaseModel,
    [property: Id(3)] AdapterResidency? Residency,
    [property: Id(4)] string? Silo,
    [property: Id(5)] int Rank,
    [property: Id(6)] long DeviceBytes,
    [property: Id(7)] bool Pinned,
    [property: Id(8)] string? PricePer1kTokensWei)
{
    /// <summary>True for an adapter, false for a base model.</summary>
    public bool IsAdapter => BaseModel is not null;
}
