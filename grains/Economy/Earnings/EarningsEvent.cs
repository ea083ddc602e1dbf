using System.Text.Json.Serialization;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// Something the earnings read model learns from the grains: an inference charged, an epoch posted, or a claim made.
/// Grains deliver events at least once and in no promised order, so each event names itself (inference id, epoch
/// number, claim transaction) and applying it again changes nothing. Amounts are decimal strings of integer wei, as
/// the ledger's charges carry them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(InferenceCharged), "charged")]
[JsonDerivedType(typeof(EpochPosted), "posted")]
[JsonDerivedType(typeof(EarningsClaimed), "claimed")]
public abstract record EarningsEvent
{
    /// <summary>What the event is about, for errors and logs, e.g. <c>inference 7f3a</c> or <c>epoch 12</c>.</summary>
    public abstract string Key { get; }
}
