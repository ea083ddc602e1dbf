using System.Runtime.CompilerServices;
using System.Text;
using OpenLedger.Models;
using OpenLedger.Serving;

namespace OpenLedger.Client;

/// <summary>
/// Generation through the grid: <c>model</c> names either a base model (served alone, by the silo the call lands on)
/// or a deployed adapter (served by the silo that holds it), as in the HTTP API.
/// </summary>
public sealed class InferenceClient
{
    // Base models are imported rarely, and every request would otherwise ask the directory first; a few seconds of
    // staleness only delays a just-imported base model being recognised by name.
    private static readonly TimeSpan _baseModelsLifetime = TimeSpan.FromSeconds(5);

    private readonly IClusterClient _cluster;
    private readonly TimeProvider _time;
    private volatile BaseModelNames? _baseModels;

    /// <summary>Creates a client over <paramref name="cluster"/>; <paramref name="time"/> ages the cached base model list.</summary>
    public InferenceClient(IClusterClient cluster, TimeProvider? time = null)
    {
        _cluster = cluster;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Streams the completion of <paramref name="request"/> by <paramref name="model"/> piece by piece. The last piece
    /// has the finish reason, the token counts and, for an adapter's answer, the inference id its attribution is
    /// recorded under (read it with <see cref="GridClient.Attribution"/>); with
    /// <see cref="CompletionRequest.AttributeSync"/> set it comes only once the attribution is computed, and carries it.
    /// </summary>
    public async IAsyncEnumerable<CompletionChunk> StreamAsync(string model, CompletionRequest request,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var chunks = await IsBaseModelAsync(model)
            ? _cluster.GetGrain<IBaseModelServingGrain>(model).Generate(request, cancellation)
            : _cluster.GetGrain<IAdapterGrain>(model).Generate(request, cancellation);
        await foreach (var chunk in chunks.WithCancellation(cancellation))
        {
            yield return chunk;
        }
    }

    /// <summary>
    /// Generates the whole completion of <paramref name="request"/> by <paramref name="model"/>, with its inference id
    /// and, when <see cref="CompletionRequest.AttributeSync"/> is set, its attribution.
    /// </summary>
    public async Task<Completion> CompleteAsync(string model, CompletionRequest request, CancellationToken cancellation = default)
    {
        var text = new StringBuilder();
        CompletionChunk? last = null;
        await foreach (var chunk in StreamAsync(model, request, cancellation))
        {
            text.Append(chunk.Text);
            last = chunk;
        }
        return new Completion(text.ToString(), last?.FinishReason, last?.PromptTokens ?? 0, last?.CompletionTokens ?? 0, last?.InferenceId, last?.Attribution);
    }

    /// <summary>The whole completion of <paramref name="request"/> by <paramref name="model"/> with its attribution, computed before it returns.</summary>
    public Task<Completion> CompleteAttributedAsync(string model, CompletionRequest request, CancellationToken cancellation = default) =>
        CompleteAsync(model, request with { AttributeSync = true }, cancellation);

    private async Task<bool> IsBaseModelAsync(string model)
    {
        var cached = _baseModels;
        var now = _time.GetUtcNow();
        if (cached is null || now - cached.ReadAt > _baseModelsLifetime)
        {
            var names = await _cluster.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).ListBaseModels();
            cached = new BaseModelNames(names.ToHashSet(StringComparer.Ordinal), now);
            _baseModels = cached;
        }
        return cached.Names.Contains(model);
    }

    private sealed record BaseModelNames(IReadOnlySet<string> Names, DateTimeOffset ReadAt);
}
