using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>One epoch's running totals, and its post once it came.</summary>
internal sealed class EpochTally(long epoch)
{
    /// <summary>The epoch.</summary>
    public long Epoch { get; } = epoch;

    /// <summary>The fees charged.</summary>
    public BigInteger Fees { get; set; }

    /// <summary>What the recipients accrued (everything but the burn).</summary>
    public BigInteger Accrued { get; set; }

    /// <summary>What was burned.</summary>
    public BigInteger Burned { get; set; }

    /// <summary>The inferences charged.</summary>
    public long Inferences { get; set; }

    /// <summary>What the post paid the accounts, or null while not posted.</summary>
    public BigInteger? Posted { get; set; }

    /// <summary>The post's fingerprint, to tell a second delivery from a conflicting one.</summary>
    public byte[]? PostFingerprint { get; set; }

    /// <summary>How many accounts the post paid.</summary>
    public int PostedAccounts { get; set; }

    /// <summary>The totals as queries return them.</summary>
    public EpochEarnings ToEarnings() => new(Epoch, Fees, Accrued, Burned, Inferences, Posted);
}
