using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// A charged inference checked in full before the index touches anything, so a refused event changes nothing. Parts
/// of one charge with the same recipient, role and Datanet are merged (the fee split pays the protocol twice when
/// nobody is attributed), and the fingerprint over the canonical content tells a second delivery from a conflict.
/// </summary>
internal sealed class CheckedCharge
{
    private CheckedCharge(InferenceCharged charged, string? agent, BigInteger fee, List<CheckedAccrual> accruals)
    {
        InferenceId = charged.InferenceId;
        Epoch = charged.Epoch;
        At = charged.At;
        Agent = agent;
        ModelId = string.IsNullOrEmpty(charged.ModelId) ? null : charged.ModelId;
        AdapterId = string.IsNullOrEmpty(charged.AdapterId) ? null : charged.AdapterId;
        Fee = fee;
        Accruals = accruals;
        Fingerprint = FingerprintOf();
    }

    /// <summary>The inference, as sent.</summary>
    public string InferenceId { get; }

    /// <summary>The epoch it was charged in.</summary>
    public long Epoch { get; }

    /// <summary>When it was served.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The paying agent, canonical, or null.</summary>
    public string? Agent { get; }

    /// <summary>The model, or null (an empty id counts as none).</summary>
    public string? ModelId { get; }

    /// <summary>The adapter, or null (an empty id counts as none).</summary>
    public string? AdapterId { get; }

    /// <summary>The fee in wei.</summary>
    public BigInteger Fee { get; }

    /// <summary>Positive parts only, ordered by recipient, role and Datanet.</summary>
    public IReadOnlyList<CheckedAccrual> Accruals { get; }

    /// <summary>SHA-256 of the canonical content.</summary>
    public byte[] Fingerprint { get; }

    /// <summary>Checks <paramref name="charged"/>; throws <see cref="InvalidEarningsEventException"/> on the first problem.</summary>
    public static CheckedCharge From(InferenceCharged charged)
    {
        ArgumentNullException.ThrowIfNull(charged);
        var key = charged.Key;
        if (string.IsNullOrWhiteSpace(charged.InferenceId))
        {
            throw new InvalidEarningsEventException(key, nameof(charged.InferenceId), charged.InferenceId, "is empty");
        }
        if (charged.Epoch < 1)
        {
            throw new InvalidEarningsEventException(key, nameof(charged.Epoch), charged.Epoch.ToString(CultureInfo.InvariantCulture), "is not an epoch; epochs count from 1");
        }
        var agent = charged.Agent is null ? null : EventAddress.Require(key, nameof(charged.Agent), charged.Agent);
        var fee = WeiText.Parse(key, nameof(charged.FeeWei), charged.FeeWei);
        if (charged.Accruals is null)
        {
            throw new InvalidEarningsEventException(key, nameof(charged.Accruals), null, "is missing; a free call has an empty list");
        }
        var merged = new Dictionary<(string, AccrualRole, string), CheckedAccrual>();
        var sum = BigInteger.Zero;
        for (var i = 0; i < charged.Accruals.Count; i++)
        {
            var accrual = Check(key, $"{nameof(charged.Accruals)}[{i}]", charged.Accruals[i]);
            sum += accrual.Wei;
            if (accrual.Wei.IsZero)
            {
                continue;
            }
            var part = (accrual.Recipient, accrual.Role, accrual.DatanetId ?? "");
            merged[part] = merged.TryGetValue(part, out var earlier)
                ? earlier with { Wei = earlier.Wei + accrual.Wei, ContributionIds = Distinct(earlier.ContributionIds.Concat(accrual.ContributionIds)) }
                : accrual;
        }
        if (sum != fee)
        {
            throw new InvalidEarningsEventException(key, nameof(charged.Accruals), $"{sum} wei in all",
                $"does not add up to the fee of {fee} wei; every wei of a fee goes to exactly one recipient");
        }
        var accruals = merged.OrderBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2).ThenBy(p => p.Key.Item3, StringComparer.Ordinal)
            .Select(p => p.Value).ToList();
        return new CheckedCharge(charged, agent, fee, accruals);
    }

    private static CheckedAccrual Check(string key, string field, EarningsAccrual? accrual)
    {
        if (accrual is null)
        {
            throw new InvalidEarningsEventException(key, field, null, "is missing");
        }
        if (!Enum.IsDefined(accrual.Role))
        {
            throw new InvalidEarningsEventException(key, $"{field}.Role", accrual.Role.ToString(), "is not an accrual role");
        }
        var recipient = EventAddress.Canonical(key, $"{field}.Recipient", accrual.Recipient);
        if ((recipient == FeeSplitter.BurnAddress) != (accrual.Role == AccrualRole.Burn))
        {
            throw new InvalidEarningsEventException(key, $"{field}.Recipient", accrual.Recipient,
                $"does not fit the role {accrual.Role}; the burn, and only the burn, goes to the zero address");
        }
        var wei = WeiText.Parse(key, $"{field}.Wei", accrual.Wei);
        var contributions = accrual.ContributionIds ?? [];
        if (accrual.Role != AccrualRole.DataContributor && (accrual.DatanetId is not null || contributions.Count > 0))
        {
            throw new InvalidEarningsEventException(key, $"{field}.DatanetId", accrual.DatanetId,
                $"is given for a {accrual.Role} part; only data contributors' parts come from a Datanet");
        }
        if (accrual.DatanetId is { Length: 0 })
        {
            throw new InvalidEarningsEventException(key, $"{field}.DatanetId", accrual.DatanetId, "is empty; leave it null when the Datanet is not known");
        }
        if (contributions.Any(string.IsNullOrEmpty))
        {
            throw new InvalidEarningsEventException(key, $"{field}.ContributionIds", string.Join(",", contributions), "holds an empty contribution id");
        }
        return new CheckedAccrual(recipient, accrual.Role, wei, accrual.DatanetId, Distinct(contributions));
    }

    private static string[] Distinct(IEnumerable<string> ids)
    {
        var distinct = ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return distinct.Length == 0 ? [] : distinct;
    }

    private byte[] FingerprintOf()
    {
        // A length-prefixed canonical text: no two different charges write the same bytes.
        var text = new StringBuilder();
        void Field(string? value) => text.Append(value?.Length ?? -1).Append(':').Append(value).Append(';');
        Field(InferenceId);
        Field(Epoch.ToString(CultureInfo.InvariantCulture));
        Field(At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(Agent);
        Field(ModelId);
        Field(AdapterId);
        Field(Fee.ToString(CultureInfo.InvariantCulture));
        foreach (var accrual in Accruals)
        {
            Field(accrual.Recipient);
            Field(accrual.Role.ToString());
            Field(accrual.Wei.ToString(CultureInfo.InvariantCulture));
            Field(accrual.DatanetId);
            Field(accrual.ContributionIds.Length.ToString(CultureInfo.InvariantCulture));
            foreach (var contribution in accrual.ContributionIds)
            {
                Field(contribution);
            }
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
