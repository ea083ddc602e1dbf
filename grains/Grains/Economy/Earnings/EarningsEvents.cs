using System.Globalization;
using System.Numerics;
using OpenLedger.Attribution;
using OpenLedger.Economy;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Epochs;
using OpenLedger.Economy.Fees;
using OpenLedger.Models;

namespace OpenLedger.Grains.Economy;

/// <summary>Builds the earnings events the grid's grains send, from what they already hold.</summary>
internal static class EarningsEvents
{
    // Enough contributions to follow a share back to its data without growing an event without bound.
    private const int MostContributionsPerAccrual = 16;

    /// <summary>
    /// An inference as the ledger charged it. A data contributor's part names its Datanet when the model was trained
    /// on one Datanet (the attribution record does not say which Datanet a share came from), and the contributions
    /// its evidence points at: top influential examples and verbatim span sources.
    /// </summary>
    public static InferenceCharged Charged(InferenceTrace trace, AttributionRecord record, InferenceCharge charge, long epoch, ModelInfo? model)
    {
        var datanets = model?.Publication.Snapshots.Select(s => s.DatanetId).Distinct(StringComparer.Ordinal).ToList() ?? [];
        var datanetId = datanets.Count == 1 ? datanets[0] : null;
        var evidence = record.TopExamples.Select(e => (e.Contributor, e.ContributionId))
            .Concat(record.Spans.SelectMany(s => s.Sources).Select(s => (s.Contributor, s.ContributionId)))
            .GroupBy(e => e.Contributor.ToLowerInvariant())
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(e => e.ContributionId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MostContributionsPerAccrual)]);
        var accruals = charge.Accruals.Select(a =>
        {
            var role = Enum.Parse<AccrualRole>(a.Role);
            return role == AccrualRole.DataContributor
                ? new EarningsAccrual(a.Recipient, role, a.Wei, datanetId, evidence.GetValueOrDefault(a.Recipient.ToLowerInvariant()) ?? [])
                : new EarningsAccrual(a.Recipient, role, a.Wei);
        }).ToList();
        return new InferenceCharged(trace.InferenceId, epoch, trace.At, charge.Agent,
            string.IsNullOrEmpty(trace.ModelId) ? null : trace.ModelId,
            string.IsNullOrEmpty(trace.AdapterId) ? null : trace.AdapterId,
            charge.FeeWei, accruals);
    }

    /// <summary>
    /// An epoch posted: each account's growth of its cumulative leaf since the previous epoch's manifest, which is
    /// what the epoch paid it. The burn (the zero address) is not claimable and is left out.
    /// </summary>
    public static EpochPosted Posted(long epochId, IReadOnlyList<CumulativeLeaf> leaves, IReadOnlyList<CumulativeLeaf> previous)
    {
        var before = previous.ToDictionary(l => l.Account, l => l.CumulativeAmount, StringComparer.Ordinal);
        var amounts = leaves
            .Where(l => l.Account != Account.Zero)
            .Select(l => (l.Account, Wei: l.CumulativeAmount - before.GetValueOrDefault(l.Account)))
            .Where(p => p.Wei > BigInteger.Zero)
            .Select(p => new PostedAmount(p.Account, p.Wei.ToString(CultureInfo.InvariantCulture)))
            .ToList();
        return new EpochPosted(epochId, amounts);
    }
}
