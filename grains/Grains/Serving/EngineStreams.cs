using System.Runtime.CompilerServices;
using OpenLedger.Errors;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Serving;
using OpenLedger.Serving;

namespace OpenLedger.Grains.Serving;

/// <summary>Runs a completion on an engine for a grain, translating engine errors into the grid's typed errors.</summary>
public static class EngineStreams
{
    /// <summary>Streams <paramref name="request"/> on <paramref name="engine"/> for <paramref name="adapterId"/> (null: the base model).</summary>
    public static async IAsyncEnumerable<CompletionChunk> GenerateAsync(ServingEngine engine, string? adapterId, CompletionRequest request,
        [EnumeratorCancellation] CancellationToken cancellation)
    {
        var parameters = new SamplingParameters(request.MaxTokens, request.Temperature, request.TopP, request.Seed, request.Stop);
        var timeout = request.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        IAsyncEnumerator<GenerationChunk> chunks;
        try
        {
            chunks = engine.GenerateAsync(adapterId, request.Prompt ?? "", parameters, timeout, cancellation).GetAsyncEnumerator(cancellation);
        }
        catch (Exception ex) when (Translate(ex) is { } typed)
        {
            throw typed;
        }
        await using (chunks)
        {
            while (true)
            {
                GenerationChunk chunk;
                try
                {
                    if (!await chunks.MoveNextAsync())
                    {
                        yield break;
                    }
                    chunk = chunks.Current;
                }
                catch (Exception ex) when (Translate(ex) is { } typed)
                {
                    throw typed;
                }
                yield return new CompletionChunk(chunk.Text, chunk.FinishReason, chunk.PromptTokens, chunk.CompletionTokens);
            }
        }
    }

    /// <summary>The grid's error for an engine error, or null for errors that are not the caller's.</summary>
    public static OpenLedgerException? Translate(Exception error) => error switch
    {
        InvalidGenerationException invalid => new InvalidCompletionException(invalid.Parameter, invalid.Code, invalid.Message),
        Model.Serving.UnknownAdapterException unknown => new Errors.UnknownAdapterException(unknown.AdapterId),
        DeadlineExceededException late => new CompletionTimeoutException(late.Message),
        AdapterTooLargeException tooLarge => new InvalidAdapterException(tooLarge.AdapterId, tooLarge.Message),
        CheckpointException misfit => new InvalidAdapterException(misfit.Location, misfit.Message),
        _ => null,
    };
}
