using OpenLedger.Attribution;

namespace OpenLedger.Grains.Attribution;

/// <summary>An inference's attribution as stored: the trace it was asked for and the record so far.</summary>
[GenerateSerializer, Alias("OpenLedger.AttributionState")]
public sealed class AttributionState
{
    /// <summary>The inference.</summary>
    [Id(0)] public InferenceTrace? Trace { get; set; }

    /// <summary>The record (pending until computed).</summary>
    [Id(1)] public AttributionRecord? Record { get; set; }

    /// <summary>True once the final record is charged to the ledger (its epoch is on the record).</summary>
    [Id(2)] public bool Billed { get; set; }

    /// <summary>
    /// True once a charge was sent to the ledger; set before sending. A charge sent and not confirmed (Billed still
    /// false) may have landed, so it is sent again in the form that finds it in an epoch already posted.
    /// </summary>
    [Id(3)] public bool BillingSent { get; set; }
}
