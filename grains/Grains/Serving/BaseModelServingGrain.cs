using System.Runtime.CompilerServices;
using OpenLedger.Models;
using OpenLedger.Serving;
using Orleans.Concurrency;

using OpenLedger.Grains.Attribution;

namespace OpenLedger.Grains.Serving;

/// <summary>
/// Base-model generation on the calling silo's own engine: a reentrant stateless worker. Its answers are recorded like
/// every other (no training data here shaped them, so they are recorded as not attributable). One activation per silo:
/// a stream's later pages are separate calls, and one that reached a second activation would find no enumerator there
/// (EnumerationAbortedException); reentrancy already lets that one activation serve many streams at once.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed class BaseModelServingGrain(SiloServing serving, AttributionQueue attribution) : Grain, IBaseModelServingGrain
{
    /// <inheritdoc />
    public async IAsyncEnumerable<CompletionChunk> Generate(CompletionRequest request, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var info = await GrainFactory.GetGrain<IBaseModelGrain>(this.GetPrimaryKeyString()).GetInfo();
        var engine = await serving.EngineAsync(info);
        var chunks = EngineStreams.GenerateAsync(engine, null, request, cancellation);
        await foreach (var chunk in attribution.RecordAsync(chunks, request, "", "", info.Name, cancellation))
        {
            yield return chunk;
        }
    }
}
