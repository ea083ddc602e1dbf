using System.Numerics;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// One inference behind an account's earnings: when and by what it was served, who paid, the account's role and wei,
/// and for a data contributor the Datanet and contributions the attribution credited.
/// </summary>
public sealed record EarningsLine(
    string InferenceId,
    DateTimeOffset At,
    string? Agent,
    string? ModelId,
    string? AdapterId,
    AccrualRole Role,
    BigInteger Wei,
    string? DatanetId,
    IReadOnlyList<string> ContributionIds);
