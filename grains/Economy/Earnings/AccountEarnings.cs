using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// An account's earnings over all epochs, in wei: accrued from charged inferences, posted on-chain in closed epochs,
/// claimed from the distributor, and claimable now (posted less claimed).
/// </summary>
public sealed record AccountEarnings(string Account, BigInteger Accrued, BigInteger Posted, BigInteger Claimed)
{
    /// <summary>What the account can claim now: posted less claimed.</summary>
    public BigInteger Claimable => Posted - Claimed;
}
