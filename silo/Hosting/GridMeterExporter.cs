using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OpenLedger.Grains.Diagnostics;
using Prometheus;

namespace OpenLedger.Silo.Hosting;

/// <summary>
/// Exports the grid's own meter to Prometheus as true counters, histograms and gauges. prometheus-net's meter adapter
/// turns a Counter&lt;T&gt; into a gauge of the latest increment and drops measurements made before its first scrape,
/// so the grid's instruments are listened to here and summed into native prometheus-net metrics instead.
/// <list type="bullet">
/// <item>Counter&lt;T&gt; becomes a counter named <c>name_total</c>.</item>
/// <item>Histogram&lt;T&gt; becomes a histogram, <c>name_seconds</c> when its unit is "s"; buckets come from the
/// instrument's advice when it gives them.</item>
/// <item>UpDownCounter&lt;T&gt; becomes a gauge that moves by each measurement; Gauge&lt;T&gt; a gauge set to each one.</item>
/// </list>
/// Every bounded series is published at zero when the exporter starts (<see cref="GridMetrics.Prime"/>).
/// </summary>
public sealed class GridMeterExporter : IDisposable
{
    private static readonly double[] _secondsBuckets = Histogram.ExponentialBuckets(0.0005, 2, 16);
    private static readonly double[] _countBuckets = Histogram.ExponentialBuckets(1, 2, 10);

    private readonly MeterListener _listener = new();
    private readonly OrleansStorageErrors _orleansStorage = new();
    private readonly ConcurrentDictionary<string, Prometheus.Counter> _counters = new();
    private readonly ConcurrentDictionary<string, Prometheus.Histogram> _histograms = new();
    private readonly ConcurrentDictionary<string, Prometheus.Gauge> _gauges = new();

    /// <summary>Starts listening to the <see cref="GridMetrics.MeterName"/> meter and publishes its series at zero.</summary>
    public GridMeterExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GridMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
        GridMetrics.Prime();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _listener.Dispose();
        _orleansStorage.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Sorted by name, so one instrument always makes one label set whatever order a call site gives its tags in.
        var sorted = tags.ToArray();
        if (sorted.Length > 1)
        {
            Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        }
        var labelNames = sorted.Select(t => t.Key).ToArray();
        var labelValues = sorted.Select(t => t.Value?.ToString() ?? "").ToArray();
        var kind = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        var baseName = instrument.Name.Replace('.', '_');
        var help = instrument.Description ?? baseName;
        var labelKey = "|" + string.Join(",", labelNames);
        if (kind == typeof(Histogram<>))
        {
            var seconds = instrument.Unit == "s";
            var name = baseName + (seconds ? "_seconds" : "");
            var histogram = _histograms.GetOrAdd(name + labelKey, _ => Metrics.CreateHistogram(name, help, new HistogramConfiguration
            {
                LabelNames = labelNames,
                Buckets = AdvisedBuckets(instrument) ?? (seconds ? _secondsBuckets : _countBuckets),
            }));
            histogram.WithLabels(labelValues).Observe(value);
        }
        else if (kind == typeof(UpDownCounter<>) || kind == typeof(Gauge<>))
        {
            var gauge = _gauges.GetOrAdd(baseName + labelKey, _ => Metrics.CreateGauge(baseName, help, labelNames)).WithLabels(labelValues);
            if (kind == typeof(Gauge<>))
            {
                gauge.Set(value);
            }
            else
            {
                gauge.Inc(value);
            }
        }
        else
        {
            var name = baseName + "_total";
            var counter = _counters.GetOrAdd(name + labelKey, _ => Metrics.CreateCounter(name, help, labelNames));
            counter.WithLabels(labelValues).Inc(value);
        }
    }

    // Instruments whose values span other ranges than the defaults (gas, lag in minutes) say so in their advice.
    private static double[]? AdvisedBuckets(Instrument instrument) => instrument switch
    {
        Histogram<double> d when d.Advice?.HistogramBucketBoundaries is { } bounds => [.. bounds],
        Histogram<long> l when l.Advice?.HistogramBucketBoundaries is { } bounds => [.. bounds.Select(b => (double)b)],
        _ => null,
    };
}
