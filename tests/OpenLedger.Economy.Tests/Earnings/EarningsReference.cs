using System.Globalization;
using System.Numerics;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Tests.Earnings;

/// <summary>
/// Every earnings query answered the slow way, from the list of distinct events alone: each answer scans all the
/// accruals. Written independently of the index, so the two agreeing to the wei means something.
/// </summary>
internal sealed class EarningsReference
{
    private readonly List<InferenceCharged> _charges;
    private readonly List<EpochPosted> _posts;
    private readonly List<EarningsClaimed> _claims;
    private readonly List<(InferenceCharged Charge, EarningsAccrual Accrual, BigInteger Wei)> _rows;

    public EarningsReference(IEnumerable<EarningsEvent> events)
    {
        var list = events.ToList();
        _charges = [.. list.OfType<InferenceCharged>()];
        _posts = [.. list.OfType<EpochPosted>()];
        _claims = [.. list.OfType<EarningsClaimed>()];
        _rows = [.. _charges.SelectMany(c => c.Accruals.Select(a => (c, a, Parse(a.Wei)))).Where(r => r.Item3 > 0)];
    }

    public BigInteger Fees => Sum(_charges.Select(c => Parse(c.FeeWei)));

    public BigInteger AllAccruals => Sum(_rows.Select(r => r.Wei));

    public AccountEarnings Account(string account) => new(
        account,
        Sum(Paid(account).Select(r => r.Wei)),
        Sum(_posts.SelectMany(p => p.Amounts).Where(a => a.Account == account).Select(a => Parse(a.Wei))),
        _claims.Where(c => c.Account == account).Select(c => Parse(c.CumulativeWei)).DefaultIfEmpty(BigInteger.Zero).Max());

    public AccountEpochEarnings Account(string account, long epoch) => new(
        epoch,
        Sum(Paid(account).Where(r => r.Charge.Epoch == epoch).Select(r => r.Wei)),
        Sum(_posts.Where(p => p.Epoch == epoch).SelectMany(p => p.Amounts).Where(a => a.Account == account).Select(a => Parse(a.Wei))),
        Paid(account).Where(r => r.Charge.Epoch == epoch).Select(r => r.Charge.InferenceId).Distinct().Count());

    public IReadOnlyList<AccountEpochEarnings> History(string account) =>
        [.. Paid(account).Select(r => r.Charge.Epoch)
            .Concat(_posts.Where(p => p.Amounts.Any(a => a.Account == account)).Select(p => p.Epoch))
            .Distinct().Order().Select(e => Account(account, e))];

    /// <summary>The lines behind an account's epoch, rendered one per string, in page order.</summary>
    public IReadOnlyList<string> Behind(string account, long epoch) =>
        [.. Paid(account).Where(r => r.Charge.Epoch == epoch)
            .GroupBy(r => (r.Charge, r.Accrual.Role, Datanet: r.Accrual.DatanetId ?? ""))
            .OrderBy(g => g.Key.Charge.At.UtcTicks).ThenBy(g => g.Key.Charge.InferenceId, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Role).ThenBy(g => g.Key.Datanet, StringComparer.Ordinal)
            .Select(g => Render(g.Key.Charge.InferenceId, g.Key.Charge.At, g.Key.Charge.Agent, g.Key.Charge.ModelId, g.Key.Charge.AdapterId, g.Key.Role,
                Sum(g.Select(r => r.Wei)), g.First().Accrual.DatanetId,
                g.SelectMany(r => r.Accrual.ContributionIds ?? []).Distinct().Order(StringComparer.Ordinal)))];

    public KeyEarnings Totals(EarningsDimension dimension, string key, long? epoch)
    {
        if (dimension == EarningsDimension.Datanet)
        {
            var rows = _rows.Where(r => r.Accrual.DatanetId == key && (epoch is null || r.Charge.Epoch == epoch)).ToList();
            return new KeyEarnings(dimension, key, Sum(rows.Select(r => r.Wei)), rows.Select(r => r.Charge.InferenceId).Distinct().Count());
        }
        var charges = _charges.Where(c => (epoch is null || c.Epoch == epoch) && dimension switch
        {
            EarningsDimension.Model => c.ModelId == key,
            EarningsDimension.Adapter => c.AdapterId == key,
            _ => c.Agent == key,
        }).ToList();
        return new KeyEarnings(dimension, key, Sum(charges.Select(c => Parse(c.FeeWei))), charges.Count);
    }

    public EpochEarnings Epoch(long epoch)
    {
        var rows = _rows.Where(r => r.Charge.Epoch == epoch).ToList();
        var post = _posts.SingleOrDefault(p => p.Epoch == epoch);
        return new EpochEarnings(
            epoch,
            Sum(_charges.Where(c => c.Epoch == epoch).Select(c => Parse(c.FeeWei))),
            Sum(rows.Where(r => r.Accrual.Role != AccrualRole.Burn).Select(r => r.Wei)),
            Sum(rows.Where(r => r.Accrual.Role == AccrualRole.Burn).Select(r => r.Wei)),
            _charges.Count(c => c.Epoch == epoch),
            post is null ? null : Sum(post.Amounts.Select(a => Parse(a.Wei))));
    }

    public IReadOnlyList<RankedContributor> TopContributors(string datanetId, int count) =>
        [.. _rows.Where(r => r.Accrual.DatanetId == datanetId)
            .GroupBy(r => r.Accrual.Recipient)
            .Select(g => (Contributor: g.Key, Wei: Sum(g.Select(r => r.Wei))))
            .OrderByDescending(c => c.Wei).ThenBy(c => c.Contributor, StringComparer.Ordinal)
            .Take(count)
            .Select((c, i) => new RankedContributor(i + 1, c.Contributor, c.Wei))];

    /// <summary>One line as a string, so lists of lines compare by content.</summary>
    public static string Render(string inferenceId, DateTimeOffset at, string? agent, string? model, string? adapter, AccrualRole role, BigInteger wei, string? datanet, IEnumerable<string> contributions) =>
        string.Join('|', inferenceId, at.UtcTicks.ToString(CultureInfo.InvariantCulture), agent, model, adapter, role,
            wei.ToString(CultureInfo.InvariantCulture), datanet, string.Join(',', contributions));

    private IEnumerable<(InferenceCharged Charge, EarningsAccrual Accrual, BigInteger Wei)> Paid(string account) =>
        _rows.Where(r => r.Accrual.Recipient == account && r.Accrual.Role != AccrualRole.Burn);

    private static BigInteger Parse(string wei) => BigInteger.Parse(wei, CultureInfo.InvariantCulture);

    private static BigInteger Sum(IEnumerable<BigInteger> amounts) => amounts.Aggregate(BigInteger.Zero, (s, a) => s + a);
}
