using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLedger.Attribution;
using OpenLedger.Grains.Diagnostics;
using OpenLedger.Grains.Economy;
using OpenLedger.Serving;

namespace OpenLedger.Grains.Attribution;

/// <summary>
/// Attribution for every served inference. Asynchronously by default: the trace is recorded (so nothing accepted is
/// lost) and queued, and a few workers per silo attribute queued inferences while serving goes on. The queue is
/// bounded: when attribution falls behind, submitting waits for room, which slows serving instead of dropping work.
/// A synchronous submission attributes at once and returns the record.
/// </summary>
public sealed partial class AttributionQueue(IGrainFactory grains, InferenceBilling billing, IOptions<AttributionOptions> options, ILogger<AttributionQueue> logger) : BackgroundService
{
    // How long a finished answer waits for its trace to be stored before the call fails: longer than a storage restart.
    private static readonly TimeSpan _recordingPatience = TimeSpan.FromSeconds(30);

    private readonly Channel<InferenceTrace> _queue = Channel.CreateBounded<InferenceTrace>(
        new BoundedChannelOptions(Math.Max(1, options.Value.QueueCapacity)) { FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Records <paramref name="trace"/> and attributes it: now when <paramref name="sync"/>, else queued (returns null).</summary>
    public async Task<AttributionRecord?> SubmitAsync(InferenceTrace trace, bool sync, CancellationToken cancellation = default)
    {
        var grain = grains.GetGrain<IAttributionGrain>(trace.InferenceId);
        if (sync)
        {
            return await Timed(trace, () => grain.Attribute(trace));
        }
        await grain.Accept(trace);
        await _queue.Writer.WriteAsync(trace, cancellation);
        GridMetrics.AttributionQueued.Add(1);
        return null;
    }

    /// <summary>
    /// Passes <paramref name="chunks"/> through with an inference id on each, and records the finished answer for
    /// attribution before its last chunk goes out (with the record when the request asked for it synchronously). A
    /// failure to record is tried again for a while (storage restarting), then fails the call: an answer is only
    /// acknowledged once it will be attributed and charged. A paid call first holds its largest possible fee on the
    /// agent's account, and gives the hold back if it does not finish.
    /// </summary>
    public async IAsyncEnumerable<CompletionChunk> RecordAsync(IAsyncEnumerable<CompletionChunk> chunks, CompletionRequest request,
        string adapterId, string modelId, string baseModel, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var output = new StringBuilder();
        var inferenceId = $"inf-{Guid.NewGuid():N}";
        var agent = await billing.HoldAsync(inferenceId, request, modelId);
        var recorded = false;
        try
        {
            await foreach (var chunk in chunks.WithCancellation(cancellation))
            {
                output.Append(chunk.Text);
                if (chunk.FinishReason is null)
                {
                    yield return chunk with { InferenceId = inferenceId };
                    continue;
                }
                var trace = new InferenceTrace(inferenceId, adapterId, modelId, baseModel, request.Prompt, output.ToString(),
                    chunk.PromptTokens, chunk.CompletionTokens, DateTimeOffset.UtcNow) { Agent = agent };
                // The last chunk (and with it the 200 and the inference id) goes out only once the trace is stored:
                // an answer acknowledged without its trace would never be attributed nor charged, and its hold was
                // given back, so storage away for a few seconds (a restart) cost the agent nothing and the data
                // contributors their share. Recording is tried again for a while; past that the call fails instead.
                var record = await SubmitPatientlyAsync(trace, request.AttributeSync, cancellation);
                recorded = true;
                yield return chunk with { InferenceId = inferenceId, Attribution = record };
            }
        }
        finally
        {
            if (agent is not null && !recorded)
            {
                await billing.ReleaseAsync(agent, inferenceId);
            }
        }
    }

    private async Task<AttributionRecord?> SubmitPatientlyAsync(InferenceTrace trace, bool sync, CancellationToken cancellation)
    {
        var deadline = DateTimeOffset.UtcNow + _recordingPatience;
        var wait = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await SubmitAsync(trace, sync, cancellation);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && DateTimeOffset.UtcNow + wait < deadline)
            {
                LogNotRecorded(logger, ex, trace.InferenceId);
            }
            await Task.Delay(wait, cancellation);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(4).Ticks));
        }
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        GridMetrics.AttributionQueueCapacity.Record(Math.Max(1, options.Value.QueueCapacity));
        return Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Workers)).Select(_ => WorkAsync(stoppingToken)));
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var trace in _queue.Reader.ReadAllAsync(stopping))
            {
                GridMetrics.AttributionQueued.Add(-1);
                try
                {
                    await Timed(trace, () => grains.GetGrain<IAttributionGrain>(trace.InferenceId).Attribute(trace));
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    GridMetrics.AttributionFailures.Add(1);
                    // The record stays pending in storage; reading it starts the attribution again.
                    LogFailed(logger, ex, trace.InferenceId);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    // The work's own time, and the lag since the answer ended (which includes the wait in the queue).
    private static async Task<AttributionRecord> Timed(InferenceTrace trace, Func<Task<AttributionRecord>> attribute)
    {
        var clock = Stopwatch.GetTimestamp();
        var record = await attribute();
        var status = new KeyValuePair<string, object?>("status", record.Status.ToString().ToLowerInvariant());
        GridMetrics.AttributionDuration.Record(Stopwatch.GetElapsedTime(clock).TotalSeconds, status);
        GridMetrics.AttributionLag.Record(Math.Max(0, (DateTimeOffset.UtcNow - trace.At).TotalSeconds), status);
        return record;
    }

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Inference {Inference} could not be recorded for attribution; trying again")]
    private static partial void LogNotRecorded(ILogger logger, Exception ex, string inference);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Queued attribution of inference {Inference} failed; it stays pending")]
    private static partial void LogFailed(ILogger logger, Exception ex, string inference);
}
