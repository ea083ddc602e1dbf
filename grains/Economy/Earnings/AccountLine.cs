using System.Numerics;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Earnings;

/// <summary>One accrual to an account, kept in its epoch: the inference it came from and what it paid in which role.</summary>
internal readonly record struct AccountLine(ChargedInference Inference, AccrualRole Role, BigInteger Wei, string? DatanetId, string[] ContributionIds)
{
    /// <summary>The line as queries return it.</summary>
    public EarningsLine ToEarningsLine() =>
        new(Inference.Id, Inference.At, Inference.Agent, Inference.ModelId, Inference.AdapterId, Role, Wei, DatanetId, ContributionIds);
}
