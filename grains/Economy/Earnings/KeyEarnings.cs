using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>A total for one Datanet, model, adapter or agent (overall or in one epoch): the wei and the number of inferences behind it.</summary>
public sealed record KeyEarnings(EarningsDimension Dimension, string Key, BigInteger Wei, long Inferences);
