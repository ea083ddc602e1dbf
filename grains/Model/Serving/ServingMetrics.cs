using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenLedger.Model.Serving;

/// <summary>
/// The serving engine's instruments, on the grid's meter ("OpenLedger") so every silo exports them with the rest:
/// completions by outcome, tokens, request, first-token and between-token times, batch sizes, and the adapter pool's
/// tiers (resident adapters, loads, evictions, cache outcomes and load times). Labels are bounded on purpose: an
/// outcome, a tier or a source, never an adapter or request id.
/// </summary>
public static class ServingMetrics
{
    /// <summary>The device tier: adapters resident on the serving device.</summary>
    public const string DeviceTier = "device";

    /// <summary>The host tier: adapters registered in host memory, ready to be made resident.</summary>
    public const string HostTier = "host";

    /// <summary>
    /// Every way a completion ends: OpenAI's finish reasons, then the engine's own; "invalid" was refused before it
    /// was queued (bad parameters or an unknown adapter).
    /// </summary>
    public static readonly IReadOnlyList<string> Outcomes = ["stop", "length", "cancelled", "deadline", "error", "invalid"];

    private static readonly Meter _meter = new("OpenLedger", "1.0");

    /// <summary>Completions that ended, by outcome (one of <see cref="Outcomes"/>).</summary>
    public static readonly Counter<long> Completions =
        _meter.CreateCounter<long>("openledger.serving.completions", "{completion}", "Completions that ended, by outcome.");

    /// <summary>Tokens generated into answers (the end-of-text token is not one: this matches the usage reported).</summary>
    public static readonly Counter<long> Tokens =
        _meter.CreateCounter<long>("openledger.serving.tokens", "{token}", "Tokens generated, all adapters together.");

    /// <summary>Time from a request's arrival to its end, by outcome.</summary>
    public static readonly Histogram<double> RequestDuration =
        _meter.CreateHistogram<double>("openledger.serving.request.duration", "s", "Time from a request's arrival to its end, by outcome.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });

    /// <summary>Time from a request's arrival to its first token.</summary>
    public static readonly Histogram<double> TimeToFirstToken =
        _meter.CreateHistogram<double>("openledger.serving.time_to_first_token", "s", "Time from a request's arrival to its first token.");

    /// <summary>Time between consecutive tokens of one request.</summary>
    public static readonly Histogram<double> TimeBetweenTokens =
        _meter.CreateHistogram<double>("openledger.serving.time_between_tokens", "s", "Time between consecutive tokens of one request.");

    /// <summary>Requests in each decode step.</summary>
    public static readonly Histogram<long> BatchSize =
        _meter.CreateHistogram<long>("openledger.serving.batch_size", "{request}", "Requests decoded together in one step.");

    /// <summary>Adapters held now, by tier: on the device, or registered in host memory.</summary>
    public static readonly UpDownCounter<long> ResidentAdapters =
        _meter.CreateUpDownCounter<long>("openledger.serving.adapters_resident", "{adapter}", "Adapters held by serving engines, by tier (device, host).");

    /// <summary>Adapters brought into a tier: device (from host memory), host (from Redis or Blob).</summary>
    public static readonly Counter<long> AdapterLoads =
        _meter.CreateCounter<long>("openledger.serving.adapter_loads", "{adapter}", "Adapters loaded into a tier (device, host).");

    /// <summary>Adapters that left a tier: device (to make room, on request, or withdrawn), host (unregistered).</summary>
    public static readonly Counter<long> AdapterEvictions =
        _meter.CreateCounter<long>("openledger.serving.adapter_evictions", "{adapter}", "Adapters evicted from a tier (device, host).");

    /// <summary>Adapter cache outcomes of admissions: hit (resident), miss (made resident).</summary>
    public static readonly Counter<long> AdapterCache =
        _meter.CreateCounter<long>("openledger.serving.adapter_cache", "{event}", "Admissions that found their adapter resident (hit) or loaded it (miss).");

    /// <summary>Time to bring an adapter up one tier: tier=device (source host), tier=host (source redis or blob).</summary>
    public static readonly Histogram<double> AdapterLoad =
        _meter.CreateHistogram<double>("openledger.serving.adapter_load", "s", "Time to load an adapter into a tier, by tier and source.");

    /// <summary>Counts one ended completion and its time since <paramref name="submittedAt"/> (a Stopwatch timestamp).</summary>
    public static void Ended(string outcome, long submittedAt)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        Completions.Add(1, tag);
        RequestDuration.Record(Stopwatch.GetElapsedTime(submittedAt).TotalSeconds, tag);
    }

    /// <summary>Adds <paramref name="count"/> (negative: removes) adapters to <paramref name="tier"/>'s resident gauge.</summary>
    public static void Resident(string tier, long count) => ResidentAdapters.Add(count, Tier(tier));

    /// <summary>Counts one adapter loaded into <paramref name="tier"/>.</summary>
    public static void Loaded(string tier) => AdapterLoads.Add(1, Tier(tier));

    /// <summary>Counts adapters evicted from <paramref name="tier"/>.</summary>
    public static void Evicted(string tier, long count = 1) => AdapterEvictions.Add(count, Tier(tier));

    /// <summary>
    /// Publishes every bounded series at zero, so dashboards and alerts see them before the first event (a counter
    /// that appears only on its first failure cannot be told apart from one that is not exported).
    /// </summary>
    public static void Prime()
    {
        foreach (var outcome in Outcomes)
        {
            Completions.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
        }
        foreach (var tier in new[] { DeviceTier, HostTier })
        {
            Resident(tier, 0);
            AdapterLoads.Add(0, Tier(tier));
            Evicted(tier, 0);
        }
        AdapterCache.Add(0, new KeyValuePair<string, object?>("outcome", "hit"));
        AdapterCache.Add(0, new KeyValuePair<string, object?>("outcome", "miss"));
        Tokens.Add(0);
    }

    private static KeyValuePair<string, object?> Tier(string tier) => new("tier", tier);
}
