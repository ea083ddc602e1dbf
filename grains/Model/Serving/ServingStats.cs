namespace OpenLedger.Model.Serving;

/// <summary>A serving engine's adapters and work at one moment.</summary>
/// <param name="Registered">Adapters held in host memory, ready to serve.</param>
/// <param name="Resident">Adapters resident on the device, least recently used first.</param>
/// <param name="Pinned">Resident adapters an operator pinned.</param>
/// <param name="ResidentBytes">Device bytes the resident adapters take.</param>
/// <param name="BudgetBytes">The adapter pool's device budget.</param>
/// <param name="HostBytes">Host bytes the registered adapters' weights take.</param>
/// <param name="CacheHits">Admissions that found their adapter resident.</param>
/// <param name="CacheMisses">Admissions that loaded their adapter.</param>
/// <param name="Evictions">Adapters evicted from the device.</param>
/// <param name="Active">Requests decoding.</param>
/// <param name="Waiting">Requests queued.</param>
public sealed record ServingStats(
    IReadOnlyList<string> Registered,
    IReadOnlyList<string> Resident,
    IReadOnlyList<string> Pinned,
    long ResidentBytes,
    long BudgetBytes,
    long HostBytes,
    long CacheHits,
    long CacheMisses,
    long Evictions,
    int Active,
    int Waiting);
