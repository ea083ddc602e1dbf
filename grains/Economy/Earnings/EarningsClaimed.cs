namespace OpenLedger.Economy.Earnings;

/// <summary>
/// A claim on the distributor: after it, the account has drawn <paramref name="CumulativeWei"/> over all its claims,
/// as the contract counts (it pays the difference to the previous claim).
/// </summary>
/// <param name="Account">The claiming account's 0x address.</param>
/// <param name="CumulativeWei">Everything the account has claimed so far, this claim included, in decimal wei.</param>
/// <param name="Transaction">The claim's transaction hash; it names the event.</param>
public sealed record EarningsClaimed(string Account, string CumulativeWei, string Transaction) : EarningsEvent
{
    /// <inheritdoc />
    public override string Key => $"claim {Transaction}";
}
