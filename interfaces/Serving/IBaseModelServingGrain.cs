namespace OpenLedger.Serving;

/// <summary>
/// Generation on a base model alone (no adapter), keyed by base model name: a stateless worker, so every silo
/// serves such requests locally on its own engine for that base.
/// </summary>
[Alias("OpenLedger.IBaseModelServingGrain")]
public interface IBaseModelServingGrain : IGrainWithStringKey
{
    /// <summary>Streams a completion of <paramref name="request"/> on the base model.</summary>
    [Alias("Generate")]
    IAsyncEnumerable<CompletionChunk> Generate(CompletionRequest request, CancellationToken cancellation = default);
}
