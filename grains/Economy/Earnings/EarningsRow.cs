using System.Numerics;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// One row of the accruals table: one recipient's part of one charged inference, with what served it and who paid.
/// The burn's recipient is the zero address.
/// </summary>
public sealed record EarningsRow(
    string InferenceId,
    long Epoch,
    DateTimeOffset At,
    string? Agent,
    string? ModelId,
    string? AdapterId,
    string Recipient,
    AccrualRole Role,
    BigInteger Wei,
    string? DatanetId);
