using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>What the index keeps of one applied charge: enough to list it behind an account and to recognise it when it comes again.</summary>
internal sealed class ChargedInference(CheckedCharge charge, string? agent, string? modelId, string? adapterId)
{
    /// <summary>The inference.</summary>
    public string Id { get; } = charge.InferenceId;

    /// <summary>The epoch it was charged in.</summary>
    public long Epoch { get; } = charge.Epoch;

    /// <summary>When it was served.</summary>
    public DateTimeOffset At { get; } = charge.At;

    /// <summary>The paying agent (the index's shared string), or null.</summary>
    public string? Agent { get; } = agent;

    /// <summary>The model (the index's shared string), or null.</summary>
    public string? ModelId { get; } = modelId;

    /// <summary>The adapter (the index's shared string), or null.</summary>
    public string? AdapterId { get; } = adapterId;

    /// <summary>The fee in wei.</summary>
    public BigInteger Fee { get; } = charge.Fee;

    /// <summary>The charge's fingerprint, to tell a second delivery from a conflicting one.</summary>
    public byte[] Fingerprint { get; } = charge.Fingerprint;

    /// <summary>Where the fee went, as applied: the inference's rows of the accruals table.</summary>
    public IReadOnlyList<CheckedAccrual> Accruals { get; } = charge.Accruals;

    /// <summary>Orders inferences by time served, then by id, so pages are stable whatever the delivery order.</summary>
    public static int Compare(ChargedInference a, ChargedInference b)
    {
        var byTime = a.At.UtcTicks.CompareTo(b.At.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
    }
}
