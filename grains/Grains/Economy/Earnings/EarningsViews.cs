using System.Globalization;
using System.Numerics;
using OpenLedger.Economy;
using OpenLedger.Economy.Earnings;

namespace OpenLedger.Grains.Economy;

/// <summary>The index's answers as the public contract carries them: wei as decimal strings.</summary>
internal static class EarningsViews
{
    public static string Text(BigInteger wei) => wei.ToString(CultureInfo.InvariantCulture);

    public static AccountEarningsView View(AccountEarnings a) =>
        new(a.Account, Text(a.Accrued), Text(a.Posted), Text(a.Claimed), Text(a.Claimable));

    public static AccountEpochView View(AccountEpochEarnings e, bool epochPosted) =>
        new(e.Epoch, Text(e.Accrued), epochPosted ? Text(e.Posted) : null, e.Inferences);

    public static EarningsInferenceView View(EarningsLine l) =>
        new(l.InferenceId, l.At, l.Agent, l.ModelId, l.AdapterId, l.Role.ToString(), Text(l.Wei), l.DatanetId, l.ContributionIds);

    public static EpochEarningsView View(EpochEarnings e) =>
        new(e.Epoch, Text(e.Fees), Text(e.Accrued), Text(e.Burned), e.Inferences, e.Posted is { } posted ? Text(posted) : null);

    public static AccrualRow View(EarningsRow r) =>
        new(r.InferenceId, r.Epoch, r.At, r.Agent, r.ModelId, r.AdapterId, r.Recipient, r.Role.ToString(), Text(r.Wei), r.DatanetId);

    public static EarningsDimension Dimension(EarningsGrouping grouping) => grouping switch
    {
        EarningsGrouping.Datanet => EarningsDimension.Datanet,
        EarningsGrouping.Model => EarningsDimension.Model,
        EarningsGrouping.Adapter => EarningsDimension.Adapter,
        EarningsGrouping.Agent => EarningsDimension.Agent,
        _ => throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "Not an earnings grouping: use Datanet, Model, Adapter or Agent."),
    };
}
