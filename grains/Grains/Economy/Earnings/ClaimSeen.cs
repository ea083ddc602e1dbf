using System.Numerics;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// A log of the distributor: a claim (the account, its cumulative claim after it, the transaction and its block), or a
/// post of epoch <see cref="PostedEpoch"/> (then <see cref="Account"/> is null).
/// </summary>
public sealed record ClaimSeen(string? Account, BigInteger CumulativeWei, string Transaction, long Block, long? PostedEpoch = null);
