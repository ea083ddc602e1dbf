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
}
