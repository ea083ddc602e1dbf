using System.Numerics;

namespace OpenLedger.Grains.Economy;

/// <summary>A <c>Claimed</c> log of the distributor: the account, its cumulative claim after it, the transaction and its block.</summary>
public sealed record ClaimSeen(string Account, BigInteger CumulativeWei, string Transaction, long Block);
