using System.Numerics;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Earnings;

/// <summary>An accrual as the index keeps it: canonical recipient, parsed wei, contributions sorted and distinct.</summary>
internal sealed record CheckedAccrual(string Recipient, AccrualRole Role, BigInteger Wei, string? DatanetId, string[] ContributionIds);
