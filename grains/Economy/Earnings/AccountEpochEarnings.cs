using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// An account's earnings in one epoch: what it accrued, what the epoch's post paid it (zero until the epoch is
/// posted), and how many inferences paid it.
/// </summary>
public sealed record AccountEpochEarnings(long Epoch, BigInteger Accrued, BigInteger Posted, int Inferences);
