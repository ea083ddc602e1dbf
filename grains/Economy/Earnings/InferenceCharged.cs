namespace OpenLedger.Economy.Earnings;

/// <summary>
/// An inference charged on a ledger shard: which epoch it landed in, when it was served, who paid, which model and
/// adapter answered, the fee and where every wei of it went. The accruals add up to the fee exactly.
/// </summary>
/// <param name="InferenceId">The inference; it names the event, so a second delivery is recognised.</param>
/// <param name="Epoch">The ledger epoch the charge landed in (1 or more).</param>
/// <param name="At">When the inference was served.</param>
/// <param name="Agent">The paying agent's 0x address, or null for a call nobody paid for.</param>
/// <param name="ModelId">The published model that answered, or null for the base model alone.</param>
/// <param name="AdapterId">The adapter that answered, or null.</param>
/// <param name="FeeWei">The fee, a decimal string of integer wei (zero for a free call).</param>
/// <param name="Accruals">Where the fee went; empty for a free call.</param>
public sealed record InferenceCharged(
    string InferenceId,
    long Epoch,
    DateTimeOffset At,
    string? Agent,
    string? ModelId,
    string? AdapterId,
    string FeeWei,
    IReadOnlyList<EarningsAccrual> Accruals) : EarningsEvent
{
    /// <inheritdoc />
    public override string Key => $"inference {InferenceId}";
}
