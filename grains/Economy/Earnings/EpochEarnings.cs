using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// One epoch's totals: the fees charged, what the recipients accrued and what was burned (the two add up to the fees),
/// the inferences, and what its post paid the accounts, or null while it is not posted.
/// </summary>
public sealed record EpochEarnings(long Epoch, BigInteger Fees, BigInteger Accrued, BigInteger Burned, long Inferences, BigInteger? Posted);
