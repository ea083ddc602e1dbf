using OpenLedger.Attribution;
using OpenLedger.Errors;

namespace OpenLedger.Client;

/// <summary>
/// Proof of Attribution for served inferences: the record of one inference (its contributors' shares and the evidence
/// behind them), read as it stands or waited for until it is computed.
/// </summary>
public sealed class AttributionClient
{
    /// <summary>How every inference id begins (<c>inf-…</c>); answers by a base model alone carry none.</summary>
    public const string InferenceIdPrefix = "inf-";

    private static readonly TimeSpan _firstPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan _longestPoll = TimeSpan.FromSeconds(1);

    private readonly IClusterClient _cluster;
    private readonly TimeProvider _time;

    /// <summary>Creates a client over <paramref name="cluster"/>; <paramref name="time"/> paces <see cref="WaitAsync"/>.</summary>
    public AttributionClient(IClusterClient cluster, TimeProvider? time = null)
    {
        _cluster = cluster;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The attribution of <paramref name="inferenceId"/> as it stands (it may still be pending); throws
    /// <see cref="UnknownInferenceException"/> when no inference has that id.
    /// </summary>
    public Task<AttributionRecord> GetAsync(string inferenceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inferenceId);
        return _cluster.GetGrain<IAttributionGrain>(inferenceId).Get();
    }

    /// <summary>
    /// The attribution of <paramref name="inferenceId"/> once it is no longer pending (complete, not attributable or
    /// failed), asking again with a short backoff. Throws <see cref="AttributionPendingException"/> when it is still
    /// pending after <paramref name="timeout"/>, and <see cref="UnknownInferenceException"/> for an unknown id.
    /// </summary>
    public async Task<AttributionRecord> WaitAsync(string inferenceId, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var started = _time.GetTimestamp();
        var pause = _firstPoll;
        while (true)
        {
            var record = await GetAsync(inferenceId);
            if (record.Status != AttributionStatus.Pending)
            {
                return record;
            }
            var left = timeout - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new AttributionPendingException(inferenceId, timeout);
            }
            await Task.Delay(pause < left ? pause : left, _time, cancellation);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _longestPoll.Ticks));
        }
    }
}
