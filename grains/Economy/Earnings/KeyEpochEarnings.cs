using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>One epoch's wei and inferences under a Datanet, model, adapter or agent: a point of its earnings over time.</summary>
public sealed record KeyEpochEarnings(long Epoch, BigInteger Wei, long Inferences);
