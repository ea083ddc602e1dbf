using System.Runtime.CompilerServices;
using OpenLedger.Models;
using OpenLedger.Serving;
using Orleans.Concurrency;

namespace OpenLedger.Grains.Serving;

/// <summary>Base-model generation on the calling silo's own engine: a reentrant stateless worker.</summary>
[StatelessWorker]
[Reentrant]
public sealed class BaseModelServingGrain(SiloServing serving) : Grain, IBaseModelServingGrain
{
    /// <inheritdoc />
    public async IAsyncEnumerable<CompletionChunk> Generate(CompletionRequest request, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var info = await GrainFactory.GetGrain<IBaseModelGrain>(this.GetPrimaryKeyString()).GetInfo();
        var engine = await serving.EngineAsync(info);
        await foreach (var chunk in EngineStreams.GenerateAsync(engine, null, request, cancellation))
        {
            yield return chunk;
        }
    }
}
