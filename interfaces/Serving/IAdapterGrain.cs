namespace OpenLedger.Serving;

/// <summary>
/// One deployed LoRA adapter, keyed by adapter id (the name callers put in <c>model</c>). On activation it loads its
/// weights into its silo's serving engine for its base model (placed on a silo with that base and free adapter
/// memory); a restart or deactivation reloads them, losing nothing but warm cache.
/// </summary>
[Alias("OpenLedger.IAdapterGrain")]
public interface IAdapterGrain : IGrainWithStringKey
{
    /// <summary>
    /// The request-context key under which callers pass the adapter's base model, so the call that activates the
    /// grain places it on a silo already running that base model.
    /// </summary>
    const string BaseModelContextKey = "openledger-base-model";

    /// <summary>Deploys (or redeploys) the adapter from <paramref name="deployment"/> and loads it.</summary>
    [Alias("Deploy")]
    [ResponseTimeout("00:05:00")]
    Task<AdapterInfo> Deploy(AdapterDeployment deployment);

    /// <summary>What the adapter is and where it lives now.</summary>
    [Alias("GetInfo")]
    Task<AdapterInfo> GetInfo();

    /// <summary>Streams a completion of <paramref name="request"/> through the adapter.</summary>
    [Alias("Generate")]
    IAsyncEnumerable<CompletionChunk> Generate(CompletionRequest request, CancellationToken cancellation = default);

    /// <summary>Pins the adapter on its device (never evicted) or unpins it; pinning loads it now.</summary>
    [Alias("SetPinned")]
    Task<AdapterInfo> SetPinned(bool pinned);

    /// <summary>Takes the adapter off its device (it stays deployed and comes back on its next request).</summary>
    [Alias("Evict")]
    Task<AdapterInfo> Evict();

    /// <summary>Removes the deployment; later requests for it are refused.</summary>
    [Alias("Undeploy")]
    Task Undeploy();
}
