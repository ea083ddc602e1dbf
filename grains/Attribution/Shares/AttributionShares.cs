using System.Numerics;
using OpenLedger.Attribution.Influence;
using OpenLedger.Attribution.Spans;

namespace OpenLedger.Attribution.Shares;

/// <summary>
/// Per-contributor shares from the two kinds of evidence, computed on integers only: exact rationals, then the
/// largest-remainder rule (ties to the lower address) so the shares add up to exactly one billion parts. The same
/// evidence gives the same shares on any machine, shard count or order.
/// </summary>
public static class AttributionShares
{
    /// <summary>
    /// Span evidence per contributor, in fixed-point units: each span's weight is split equally among the distinct
    /// contributors of its listed sources (any indivisible remainder to the lowest address).
    /// </summary>
    public static IReadOnlyDictionary<string, long> SpanEvidence(IReadOnlyList<VerbatimSpan> spans, Func<SpanSource, string> contributorOf)
    {
        var evidence = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var span in spans)
        {
            var contributors = span.Sources.Select(contributorOf).Distinct().Order(StringComparer.Ordinal).ToList();
            if (contributors.Count == 0)
            {
                continue;
            }
            var weight = FixedPoint.From(span.Weight);
            var each = weight / contributors.Count;
            for (var i = 0; i < contributors.Count; i++)
            {
                evidence[contributors[i]] = evidence.GetValueOrDefault(contributors[i]) + each + (i == 0 ? weight % contributors.Count : 0);
            }
        }
        return evidence;
    }

    /// <summary>
    /// Shares of one inference from summed gradient <paramref name="influence"/> and <paramref name="spans"/> evidence;
    /// empty when there is no positive evidence of either kind (the inference is attributed to nobody).
    /// </summary>
    public static IReadOnlyList<ContributorShare> Compute(IReadOnlyDictionary<string, Int128> influence, IReadOnlyDictionary<string, long> spans, SharePolicy policy)
    {
        if (policy.GradientWeightPpb is < 0 or > SharePolicy.Whole)
        {
            throw new ArgumentException($"The gradient weight {policy.GradientWeightPpb} ppb must be between 0 and {SharePolicy.Whole}.");
        }
        var positive = influence.Where(p => p.Value > 0).ToDictionary(p => p.Key, p => (BigInteger)p.Value, StringComparer.Ordinal);
        var spanned = spans.Where(p => p.Value > 0).ToDictionary(p => p.Key, p => (BigInteger)p.Value, StringComparer.Ordinal);
        BigInteger gradientTotal = positive.Values.Aggregate(BigInteger.Zero, (a, b) => a + b);
        BigInteger spanTotal = spanned.Values.Aggregate(BigInteger.Zero, (a, b) => a + b);
        if (gradientTotal.IsZero && spanTotal.IsZero)
        {
            return [];
        }
        // One kind of evidence missing: the other carries the whole.
        var gradientWeight = gradientTotal.IsZero ? 0 : spanTotal.IsZero ? SharePolicy.Whole : policy.GradientWeightPpb;
        var spanWeight = SharePolicy.Whole - gradientWeight;
        var denominator = (gradientTotal.IsZero ? 1 : gradientTotal) * (spanTotal.IsZero ? 1 : spanTotal);
        var contributors = positive.Keys.Union(spanned.Keys).Order(StringComparer.Ordinal).ToList();
        var exact = contributors.Select(c =>
        {
            var fromGradient = gradientTotal.IsZero ? BigInteger.Zero : gradientWeight * positive.GetValueOrDefault(c) * (spanTotal.IsZero ? 1 : spanTotal);
            var fromSpans = spanTotal.IsZero ? BigInteger.Zero : spanWeight * spanned.GetValueOrDefault(c) * (gradientTotal.IsZero ? 1 : gradientTotal);
            var numerator = fromGradient + fromSpans;
            return (Contributor: c, Floor: (long)(numerator / denominator), Remainder: numerator % denominator);
        }).ToList();
        var left = SharePolicy.Whole - exact.Sum(e => e.Floor);
        var bonus = exact.Select((e, i) => (e.Remainder, Index: i)).OrderByDescending(e => e.Remainder).ThenBy(e => e.Index)
            .Take((int)left).Select(e => e.Index).ToHashSet();
        return exact.Select((e, i) => new ContributorShare(e.Contributor, e.Floor + (bonus.Contains(i) ? 1 : 0)))
            .Where(s => s.PartsPerBillion > 0).ToList();
    }
}
