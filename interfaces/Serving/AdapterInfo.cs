namespace OpenLedger.Serving;

/// <summary>
/// Where a deployed adapter's weights come from: a model published by ModelFactory (<see cref="ModelId"/>), or PEFT
/// files an operator uploaded (<see cref="AdapterConfigJson"/> and <see cref="AdapterWeights"/>, adapter_config.json
/// and adapter_model.safetensors).
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AdapterDeployment")]
public sealed record AdapterDeployment(
    [property: Id(0)] string BaseModel,
    [property: Id(1)] string? ModelId = null,
    [property: Id(2)] string? AdapterConfigJson = null,
    [property: Id(3)] byte[]? AdapterWeights = null,
    [property: Id(4)] bool Pinned = false);

/// <summary>Where an adapter's weights are now: on a serving device, in a silo's host memory, or only in storage.</summary>
[GenerateSerializer, Alias("OpenLedger.AdapterResidency")]
public enum AdapterResidency
{
    /// <summary>Only in Blob storage (and perhaps the Redis cache): no silo holds it.</summary>
    Storage,

    /// <summary>In a silo's host memory, ready to be made resident.</summary>
    Host,

    /// <summary>Resident on a serving device.</summary>
    Device,
}

/// <summary>A deployed adapter: what it is, where it lives now, and what it has served.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AdapterInfo")]
public sealed record AdapterInfo(
    [property: Id(0)] string AdapterId,
    [property: Id(1)] string BaseModel,
    [property: Id(2)] string Source,
    [property: Id(3)] int Rank,
    [property: Id(4)] long DeviceBytes,
    [property: Id(5)] bool Pinned,
    [property: Id(6)] AdapterResidency Residency,
    [property: Id(7)] string? Silo,
    [property: Id(8)] long Requests,
    [property: Id(9)] long CompletionTokens,
    [property: Id(10)] DateTimeOffset DeployedAt);
