using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// A claim of more than the account's posted epochs paid it. The distributor cannot pay that, so either an epoch post
/// has not reached the index yet or the claim is wrong.
/// </summary>
public sealed class ClaimExceedsPostedException(string eventKey, string account, BigInteger claimedWei, BigInteger postedWei)
    : EarningsException(eventKey,
        $"Earnings event {eventKey} was not applied: account {account} claimed {claimedWei} wei in all, but its posted epochs paid it {postedWei} wei. " +
        "Nothing was changed; deliver the missing epoch posts first, then the claim again.")
{
    /// <summary>The claiming account.</summary>
    public string Account { get; } = account;

    /// <summary>The cumulative amount the claim says was drawn.</summary>
    public BigInteger ClaimedWei { get; } = claimedWei;

    /// <summary>What the account's posted epochs paid it, as the index knows them.</summary>
    public BigInteger PostedWei { get; } = postedWei;

    /// <inheritdoc />
    public override string Code => "claim_exceeds_posted";
}
