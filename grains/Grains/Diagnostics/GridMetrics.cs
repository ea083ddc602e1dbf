using System.Diagnostics.Metrics;

namespace OpenLedger.Grains.Diagnostics;

/// <summary>
/// The grid's own instruments, on the <c>OpenLedger</c> meter. Grains stay free of any exporter; the silo exports
/// this meter (and a filtered part of Orleans' meter) at /metrics.
/// </summary>
public static class GridMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "OpenLedger";

    private static readonly Meter _meter = new(MeterName, "1.0");

    /// <summary>Contributions by outcome (accepted, or the error code that refused them).</summary>
    public static readonly Counter<long> Contributions =
        _meter.CreateCounter<long>("openledger.contributions", "{contribution}", "Contributions received, by outcome.");

    /// <summary>Bytes of accepted payloads.</summary>
    public static readonly Counter<long> ContributionBytes =
        _meter.CreateCounter<long>("openledger.contribution.bytes", "By", "Bytes of accepted contribution payloads.");

    /// <summary>Time to verify, store and record one contribution.</summary>
    public static readonly Histogram<double> ContributionDuration =
        _meter.CreateHistogram<double>("openledger.contribution.duration", "s", "Time to accept or refuse one contribution.");

    /// <summary>Curation decisions by outcome.</summary>
    public static readonly Counter<long> CurationDecisions =
        _meter.CreateCounter<long>("openledger.curation.decisions", "{decision}", "Curation decisions, by outcome.");

    /// <summary>Snapshots taken.</summary>
    public static readonly Counter<long> Snapshots =
        _meter.CreateCounter<long>("openledger.snapshots", "{snapshot}", "Datanet snapshots taken.");

    /// <summary>Training steps taken, by job outcome of the chunk (all steps count, resumed ones again).</summary>
    public static readonly Counter<long> TrainingSteps =
        _meter.CreateCounter<long>("openledger.training.steps", "{step}", "Optimizer steps taken by training jobs.");

    /// <summary>Tokens trained on.</summary>
    public static readonly Counter<long> TrainingTokens =
        _meter.CreateCounter<long>("openledger.training.tokens", "{token}", "Tokens predicted in training steps.");

    /// <summary>Training jobs that ended, by final state.</summary>
    public static readonly Counter<long> TrainingJobs =
        _meter.CreateCounter<long>("openledger.training.jobs", "{job}", "Training jobs that ended, by final state.");

    /// <summary>Inferences waiting in this silo's attribution queue.</summary>
    public static readonly UpDownCounter<long> AttributionQueued =
        _meter.CreateUpDownCounter<long>("openledger.attribution.queued", "{inference}", "Inferences waiting for attribution.");

    /// <summary>Time to attribute one inference, by outcome.</summary>
    public static readonly Histogram<double> AttributionDuration =
        _meter.CreateHistogram<double>("openledger.attribution.duration", "s", "Time to attribute one inference (gradients, shard fan-out, merge).");

    /// <summary>How many inferences this silo's attribution queue holds before submitting waits.</summary>
    public static readonly Gauge<long> AttributionQueueCapacity =
        _meter.CreateGauge<long>("openledger.attribution.queue_capacity", "{inference}", "Inferences this silo's attribution queue holds before serving waits.");

    /// <summary>
    /// Time from an answer's end to its attribution record, by outcome: the queue's wait plus the work, which is what
    /// falls behind first when attribution cannot keep up. Buckets reach half an hour for that reason.
    /// </summary>
    public static readonly Histogram<double> AttributionLag =
        _meter.CreateHistogram<double>("openledger.attribution.lag", "s", "Time from an answer's end to its attribution record (queue wait plus work).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] });

    /// <summary>Queued attributions that failed (the record stays pending and is retried when read).</summary>
    public static readonly Counter<long> AttributionFailures =
        _meter.CreateCounter<long>("openledger.attribution.failures", "{inference}", "Queued attributions that failed and stay pending.");

    /// <summary>Inference requests this silo's doors hold now (decoding or waiting), at most the serving bound.</summary>
    public static readonly UpDownCounter<long> ServingAdmitted =
        _meter.CreateUpDownCounter<long>("openledger.serving.admitted", "{request}", "Inference requests this silo's doors hold now, decoding or waiting.");

    /// <summary>The most inference requests this silo's doors have held at once since it started.</summary>
    public static readonly Gauge<long> ServingAdmittedPeak =
        _meter.CreateGauge<long>("openledger.serving.admitted_peak", "{request}", "The most inference requests this silo has held at once since it started.");

    /// <summary>How many inference requests this silo's doors hold before refusing (OpenLedger:Serving:MaxQueuedRequests).</summary>
    public static readonly Gauge<long> ServingAdmissionCapacity =
        _meter.CreateGauge<long>("openledger.serving.admission_capacity", "{request}", "Inference requests this silo holds before refusing with 429.");

    /// <summary>Inference requests refused because the silo held its limit (429 server_overloaded).</summary>
    public static readonly Counter<long> ServingOverloadRefusals =
        _meter.CreateCounter<long>("openledger.serving.overload_refusals", "{request}", "Inference requests refused with 429 because the silo held its limit.");

    /// <summary>
    /// Publishes every bounded series of the grid's meter at zero (the serving engine's, the economy's and storage's
    /// too), so a counter that has not moved yet is exported as 0 rather than missing.
    /// </summary>
    public static void Prime()
    {
        AttributionQueued.Add(0);
        AttributionFailures.Add(0);
        ServingAdmitted.Add(0);
        ServingOverloadRefusals.Add(0);
        OpenLedger.Model.Serving.ServingMetrics.Prime();
        LedgerMetrics.Prime();
        SettlementMetrics.Prime();
        StorageMetrics.Prime();
    }
}
