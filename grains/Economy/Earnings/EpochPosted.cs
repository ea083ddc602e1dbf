namespace OpenLedger.Economy.Earnings;

/// <summary>
/// An epoch whose Merkle root is posted on the distributor: from now on its accounts can claim what it paid them.
/// The amounts are per epoch, not cumulative; the burn is not among them, since nobody claims it.
/// </summary>
/// <param name="Epoch">The epoch posted; it names the event.</param>
/// <param name="Amounts">Each account's amount in the epoch, each account once.</param>
public sealed record EpochPosted(long Epoch, IReadOnlyList<PostedAmount> Amounts) : EarningsEvent
{
    /// <inheritdoc />
    public override string Key => $"epoch {Epoch}";
}
