using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OpenLedger.Grains.Diagnostics;
using Prometheus;

namespace OpenLedger.Silo.Hosting;

/// <summary>
/// Exports the grid's own meter to Prometheus as true counters and histograms. prometheus-net's meter adapter turns
/// a Counter&lt;T&gt; into a gauge of the latest increment and drops measurements made before its first scrape, so the
/// grid's instruments are listened to here and summed into native prometheus-net metrics instead.
/// </summary>
public sealed class GridMeterExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Prometheus.Counter> _counters = new();
    private readonly ConcurrentDictionary<string, Prometheus.Histogram> _histograms = new();
    private readonly ConcurrentDictionary<string, Prometheus.Gauge> _gauges = new();

    /// <summary>Starts listening to the <see cref="GridMetrics.MeterName"/> meter.</summary>
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
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labelNames = new string[tags.Length];
        var labelValues = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labelNames[i] = tags[i].Key;
            labelValues[i] = tags[i].Value?.ToString() ?? "";
        }
        // One Prometheus family per instrument and label set; the grid's instruments always use the same tags.
        var kind = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        var baseName = instrument.Name.Replace('.', '_');
        if (kind == typeof(Histogram<>))
        {
            var seconds = instrument.Unit == "s";
            var name = baseName + (seconds ? "_seconds" : "");
            var histogram = _histograms.GetOrAdd(name + "|" + string.Join(",", labelNames), _ => Metrics.CreateHistogram(name, instrument.Description ?? name,
                new HistogramConfiguration
                {
                    LabelNames = labelNames,
                    Buckets = seconds ? Histogram.ExponentialBuckets(0.0005, 2, 16) : Histogram.ExponentialBuckets(1, 2, 10),
                }));
            histogram.WithLabels(labelValues).Observe(value);
        }
        else if (kind == typeof(UpDownCounter<>))
        {
            var gauge = _gauges.GetOrAdd(baseName + "|" + string.Join(",", labelNames), _ => Metrics.CreateGauge(baseName, instrument.Description ?? baseName, labelNames));
            gauge.WithLabels(labelValues).Inc(value);
        }
        else
        {
            var name = baseName + "_total";
            var counter = _counters.GetOrAdd(name + "|" + string.Join(",", labelNames), _ => Metrics.CreateCounter(name, instrument.Description ?? name, labelNames));
            counter.WithLabels(labelValues).Inc(value);
        }
    }
}
