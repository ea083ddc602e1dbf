using System.Diagnostics.Metrics;
using System.Globalization;
using System.Numerics;
using OpenLedger.Economy;
using OpenLedger.Economy.Chain;

namespace OpenLedger.Grains.Diagnostics;

/// <summary>
/// Epoch settlement on the grid's meter: how far epochs got, the last closed and posted epoch (their gap is how an
/// operator sees settlement stuck), the gas each on-chain step used, failures, and the OPEN burned by posted epochs.
/// </summary>
public static class SettlementMetrics
{
    /// <summary>The calls that can fail: closing an epoch, resuming unfinished ones, sending slashes.</summary>
    public static readonly IReadOnlyList<string> FailureSteps = ["close", "resume", "slash"];

    private static readonly Meter _meter = new(GridMetrics.MeterName, "1.0");

    /// <summary>Epochs that reached a stage (closed, settled, posted, anchored); a resumed stage is counted when it is written.</summary>
    public static readonly Counter<long> Epochs =
        _meter.CreateCounter<long>("openledger.settlement.epochs", "{epoch}", "Epochs that reached a stage (closed, settled, posted, anchored).");

    /// <summary>The newest epoch closed (its ledger sealed and manifest written).</summary>
    public static readonly Gauge<long> LastClosedEpoch =
        _meter.CreateGauge<long>("openledger.settlement.last_closed_epoch", "{epoch}", "The newest epoch closed.");

    /// <summary>The newest epoch whose root is posted on the distributor.</summary>
    public static readonly Gauge<long> LastPostedEpoch =
        _meter.CreateGauge<long>("openledger.settlement.last_posted_epoch", "{epoch}", "The newest epoch posted on-chain.");

    /// <summary>
    /// Gas used by each settlement transaction, from its receipt, by step; the sum is the gas spent. A step resumed
    /// after a crash between its receipt and its stage being written is counted again.
    /// </summary>
    public static readonly Histogram<long> GasUsed =
        _meter.CreateHistogram<long>("openledger.settlement.gas_used", "{gas}", "Gas used by settlement transactions, from their receipts, by step.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [25_000, 50_000, 100_000, 200_000, 400_000, 800_000, 1_600_000, 3_200_000, 6_400_000, 12_800_000] });

    /// <summary>Settlement calls that failed, by step (close, resume, slash); the next call or activation retries.</summary>
    public static readonly Counter<long> Failures =
        _meter.CreateCounter<long>("openledger.settlement.failures", "{failure}", "Settlement calls that failed, by step (close, resume, slash).");

    /// <summary>OPEN burned by posted epochs.</summary>
    public static readonly Counter<double> Burned =
        _meter.CreateCounter<double>("openledger.settlement.burned_open", "{OPEN}", "OPEN burned on-chain by posted epochs.");

    /// <summary>Counts an epoch's stage once it is written, and moves the gauges and the burn with it.</summary>
    public static void Reached(EpochSummary epoch)
    {
        Epochs.Add(1, new KeyValuePair<string, object?>("stage", StageLabel(epoch.Stage)));
        switch (epoch.Stage)
        {
            case EpochStage.Closed:
                LastClosedEpoch.Record(epoch.EpochId);
                break;
            case EpochStage.Posted:
                LastPostedEpoch.Record(epoch.EpochId);
                Burned.Add(LedgerMetrics.ToOpen(BigInteger.Parse(epoch.BurnWei, NumberStyles.None, CultureInfo.InvariantCulture)));
                break;
        }
    }

    /// <summary>Sets the gauges from stored epochs, so a silo that activates the settlement grain reports them at once.</summary>
    public static void Restored(IEnumerable<EpochSummary> epochs)
    {
        long closed = 0, posted = 0;
        foreach (var epoch in epochs)
        {
            closed = Math.Max(closed, epoch.EpochId);
            posted = epoch.Stage >= EpochStage.Posted ? Math.Max(posted, epoch.EpochId) : posted;
        }
        if (closed > 0)
        {
            LastClosedEpoch.Record(closed);
            LastPostedEpoch.Record(posted);
        }
    }

    /// <summary>Records the gas a final transaction of <paramref name="step"/> used (nothing when the receipt was not kept).</summary>
    public static void Sent(string step, OutboxEntry entry)
    {
        if (entry.GasUsed is { } gas)
        {
            GasUsed.Record(gas, new KeyValuePair<string, object?>("step", step));
        }
    }

    /// <summary>Counts a failed settlement call of <paramref name="step"/>.</summary>
    public static void Failed(string step) => Failures.Add(1, new KeyValuePair<string, object?>("step", step));

    /// <summary>The stage label.</summary>
    public static string StageLabel(EpochStage stage) => stage.ToString().ToLowerInvariant();

    /// <summary>Publishes every stage and failure step at zero.</summary>
    public static void Prime()
    {
        foreach (var stage in Enum.GetValues<EpochStage>())
        {
            Epochs.Add(0, new KeyValuePair<string, object?>("stage", StageLabel(stage)));
        }
        foreach (var step in FailureSteps)
        {
            Failures.Add(0, new KeyValuePair<string, object?>("step", step));
        }
        Burned.Add(0);
    }
}
