using System.Diagnostics.Metrics;

namespace OpenLedger.Model.Serving;

/// <summary>
/// The serving engine's instruments, on the grid's meter ("OpenLedger") so every silo exports them with the rest:
/// tokens, first-token and between-token times, batch sizes, resident adapters, cache outcomes and load times per tier.
/// </summary>
public static class ServingMetrics
{
    private static readonly Meter _meter = new("OpenLedger", "1.0");

    /// <summary>Tokens generated.</summary>
    public static readonly Counter<long> Tokens =
        _meter.CreateCounter<long>("openledger.serving.tokens", "{token}", "Tokens generated, all adapters together.");

    /// <summary>Time from a request's arrival to its first token.</summary>
    public static readonly Histogram<double> TimeToFirstToken =
        _meter.CreateHistogram<double>("openledger.serving.time_to_first_token", "s", "Time from a request's arrival to its first token.");

    /// <summary>Time between consecutive tokens of one request.</summary>
    public static readonly Histogram<double> TimeBetweenTokens =
        _meter.CreateHistogram<double>("openledger.serving.time_between_tokens", "s", "Time between consecutive tokens of one request.");

    /// <summary>Requests in each decode step.</summary>
    public static readonly Histogram<long> BatchSize =
        _meter.CreateHistogram<long>("openledger.serving.batch_size", "{request}", "Requests decoded together in one step.");

    /// <summary>Adapters resident on devices now.</summary>
    public static readonly UpDownCounter<long> ResidentAdapters =
        _meter.CreateUpDownCounter<long>("openledger.serving.adapters_resident", "{adapter}", "Adapters resident on serving devices.");

    /// <summary>Adapter cache outcomes: hit, miss, eviction.</summary>
    public static readonly Counter<long> AdapterCache =
        _meter.CreateCounter<long>("openledger.serving.adapter_cache", "{event}", "Adapter cache hits, misses and evictions.");

    /// <summary>Time to bring an adapter up one tier: tier=device (from host memory), host (from Redis or Blob).</summary>
    public static readonly Histogram<double> AdapterLoad =
        _meter.CreateHistogram<double>("openledger.serving.adapter_load", "s", "Time to load an adapter into a tier, by tier and source.");
}
