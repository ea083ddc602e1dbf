using System.Numerics;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Benchmarks;

/// <summary>
/// What an analyst's page about one contributor shows: its totals (<c>Account</c>), its earnings per epoch
/// (<c>History</c>) and the first page of inferences behind its latest epoch (<c>Behind</c>). Compared by value, so
/// the index and the scan are checked to agree before either is timed.
/// </summary>
internal sealed record ContributorEarnings(
    BigInteger Accrued,
    BigInteger Posted,
    BigInteger Claimed,
    IReadOnlyList<(long Epoch, BigInteger Accrued, BigInteger Posted, int Inferences)> History,
    IReadOnlyList<(string InferenceId, AccrualRole Role, BigInteger Wei, string? DatanetId)> Behind,
    int BehindTotal)
{
    /// <summary>Lines on the first page of <c>Behind</c>.</summary>
    public const int PageLines = 50;

    /// <summary>The same answer from the index: three queries, each reading kept totals or one account's epoch.</summary>
    public static ContributorEarnings FromIndex(EarningsIndex index, string account)
    {
        var totals = index.Account(account);
        var history = index.History(account);
        var latest = history.Count == 0 ? 0 : history[^1].Epoch;
        var page = index.Behind(account, latest, 0, PageLines);
        return new ContributorEarnings(totals.Accrued, totals.Posted, totals.Claimed,
            [.. history.Select(h => (h.Epoch, h.Accrued, h.Posted, h.Inferences))],
            [.. page.Lines.Select(l => (l.InferenceId, l.Role, l.Wei, l.DatanetId))], page.Total);
    }

    /// <inheritdoc />
    public bool Equals(ContributorEarnings? other) =>
        other is not null && Accrued == other.Accrued && Posted == other.Posted && Claimed == other.Claimed
        && History.SequenceEqual(other.History) && Behind.SequenceEqual(other.Behind) && BehindTotal == other.BehindTotal;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Accrued, Posted, Claimed, History.Count, Behind.Count, BehindTotal);
}
