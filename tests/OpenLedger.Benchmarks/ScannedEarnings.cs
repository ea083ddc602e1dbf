using System.Numerics;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Benchmarks;

/// <summary>
/// The naive way to answer <see cref="ContributorEarnings"/>: keep the accruals as a flat table and scan all of them
/// for the contributor on every query (with the posts and claims, which are few), as a query over an unindexed
/// table would. The baseline the index is measured against.
/// </summary>
internal sealed class ScannedEarnings
{
    private readonly Row[] _rows;
    private readonly (long Epoch, string Account, BigInteger Wei)[] _posts;
    private readonly (string Account, BigInteger Cumulative)[] _claims;

    public ScannedEarnings(IReadOnlyList<EarningsEvent> events)
    {
        var rows = new List<Row>();
        var posts = new List<(long, string, BigInteger)>();
        var claims = new List<(string, BigInteger)>();
        foreach (var e in events)
        {
            switch (e)
            {
                case InferenceCharged c:
                    rows.AddRange(c.Accruals.Select(a => new Row(c.InferenceId, c.Epoch, c.At, a.Recipient, a.Role, BigInteger.Parse(a.Wei, System.Globalization.CultureInfo.InvariantCulture), a.DatanetId)));
                    break;
                case EpochPosted p:
                    posts.AddRange(p.Amounts.Select(a => (p.Epoch, a.Account, BigInteger.Parse(a.Wei, System.Globalization.CultureInfo.InvariantCulture))));
                    break;
                case EarningsClaimed k:
                    claims.Add((k.Account, BigInteger.Parse(k.CumulativeWei, System.Globalization.CultureInfo.InvariantCulture)));
                    break;
            }
        }
        _rows = [.. rows];
        _posts = [.. posts];
        _claims = [.. claims];
    }

    /// <summary>The accrual rows scanned per query.</summary>
    public int Rows => _rows.Length;

    /// <summary>Scans everything for <paramref name="account"/>.</summary>
    public ContributorEarnings Query(string account)
    {
        var mine = new List<Row>();
        foreach (var row in _rows)
        {
            if (string.Equals(row.Recipient, account, StringComparison.Ordinal))
            {
                mine.Add(row);
            }
        }
        var postedByEpoch = new Dictionary<long, BigInteger>();
        foreach (var (epoch, who, wei) in _posts)
        {
            if (string.Equals(who, account, StringComparison.Ordinal))
            {
                postedByEpoch[epoch] = postedByEpoch.GetValueOrDefault(epoch) + wei;
            }
        }
        var claimed = BigInteger.Zero;
        foreach (var (who, cumulative) in _claims)
        {
            if (string.Equals(who, account, StringComparison.Ordinal))
            {
                claimed = BigInteger.Max(claimed, cumulative);
            }
        }
        var history = mine.GroupBy(r => r.Epoch).Select(g => g.Key).Union(postedByEpoch.Keys).Order()
            .Select(epoch =>
            {
                var inEpoch = mine.Where(r => r.Epoch == epoch).ToList();
                return (epoch, inEpoch.Aggregate(BigInteger.Zero, (s, r) => s + r.Wei), postedByEpoch.GetValueOrDefault(epoch),
                    inEpoch.Select(r => r.InferenceId).Distinct(StringComparer.Ordinal).Count());
            }).ToList();
        var latest = history.Count == 0 ? 0 : history[^1].epoch;
        var behind = mine.Where(r => r.Epoch == latest).OrderBy(r => r.At.UtcTicks).ThenBy(r => r.InferenceId, StringComparer.Ordinal).ToList();
        return new ContributorEarnings(
            mine.Aggregate(BigInteger.Zero, (s, r) => s + r.Wei),
            postedByEpoch.Values.Aggregate(BigInteger.Zero, (s, w) => s + w),
            claimed,
            history,
            [.. behind.Take(ContributorEarnings.PageLines).Select(r => (r.InferenceId, r.Role, r.Wei, r.DatanetId))],
            behind.Count);
    }

    private sealed record Row(string InferenceId, long Epoch, DateTimeOffset At, string Recipient, AccrualRole Role, BigInteger Wei, string? DatanetId);
}
