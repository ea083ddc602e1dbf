using System.Numerics;

namespace OpenLedger.Economy.Fees;

/// <summary>
/// Splits an integer-wei fee exactly: first into burn, protocol, model developer and data parts by the
/// <see cref="FeeSplit"/>, then the data part among contributors by their attribution shares. Both steps use the
/// largest-remainder rule: every part gets the floor of its exact value, and the few wei left go one each to the
/// largest fractional remainders. Ties among the four parts go in the order data contributors, model developer,
/// protocol, burn (earners before the burn); ties among contributors go to the lower address. The parts always add up
/// to the fee, to the wei.
/// </summary>
public static class FeeSplitter
{
    /// <summary>Where burn accruals are addressed: the zero address.</summary>
    public const string BurnAddress = Account.Zero;

    /// <summary>
    /// The accruals of one fee, leaving out parts of zero wei. With no shares (an inference attributed to nobody) the
    /// data part goes to the protocol treasury: giving it to the model developer would reward models whose answers
    /// cannot be attributed. Throws <see cref="ArgumentException"/> (and computes nothing) on a negative or too large fee,
    /// a bad address, a negative share, a contributor listed twice, or shares that do not sum to one billion.
    /// </summary>
    public static IReadOnlyList<Accrual> Split(BigInteger fee, FeeSplit policy, FeeRecipients recipients, IReadOnlyList<DataShare> shares)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(shares);
        Wei.Require(fee, nameof(fee));
        var protocol = Account.Require(recipients.Protocol, nameof(recipients));
        var developer = Account.Require(recipients.ModelDeveloper, nameof(recipients));
        var contributors = CheckShares(shares);

        // Index order is the tie order: data contributors, model developer, protocol, burn.
        var parts = LargestRemainder(fee, [policy.DataContributorsBps, policy.ModelDeveloperBps, policy.ProtocolBps, policy.BurnBps], FeeSplit.Whole);
        var accruals = new List<Accrual>();
        Add(accruals, BurnAddress, AccrualRole.Burn, parts[3]);
        Add(accruals, protocol, AccrualRole.Protocol, parts[2]);
        Add(accruals, developer, AccrualRole.ModelDeveloper, parts[1]);
        if (contributors.Count == 0)
        {
            Add(accruals, protocol, AccrualRole.Protocol, parts[0]);
        }
        else
        {
            var data = LargestRemainder(parts[0], contributors.Select(c => c.PartsPerBillion).ToList(), DataShare.Whole);
            for (var i = 0; i < contributors.Count; i++)
            {
                Add(accruals, contributors[i].Contributor, AccrualRole.DataContributor, data[i]);
            }
        }
        return accruals;
    }

    /// <summary>
    /// Splits <paramref name="amount"/> in proportion to <paramref name="weights"/> (which sum to <paramref name="whole"/>):
    /// floors first, then one wei each to the largest remainders, ties to the lower index.
    /// </summary>
    public static BigInteger[] LargestRemainder(BigInteger amount, IReadOnlyList<long> weights, long whole)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Wei.Require(amount, nameof(amount));
        if (weights.Any(w => w < 0) || weights.Aggregate(BigInteger.Zero, (sum, w) => sum + w) != whole)
        {
            throw new ArgumentException($"The weights [{string.Join(", ", weights)}] must be non-negative and sum to {whole}.", nameof(weights));
        }
        var parts = new BigInteger[weights.Count];
        var remainders = new BigInteger[weights.Count];
        var left = amount;
        for (var i = 0; i < weights.Count; i++)
        {
            parts[i] = BigInteger.DivRem(amount * weights[i], whole, out remainders[i]);
            left -= parts[i];
        }
        // left < weights.Count, since each floor loses less than one wei.
        var bonus = Enumerable.Range(0, weights.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)left);
        foreach (var i in bonus)
        {
            parts[i] += 1;
        }
        return parts;
    }

    private static List<DataShare> CheckShares(IReadOnlyList<DataShare> shares)
    {
        var canonical = new List<DataShare>(shares.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var total = BigInteger.Zero;
        foreach (var share in shares)
        {
            var contributor = Account.Require(share.Contributor, nameof(shares));
            if (share.PartsPerBillion < 0)
            {
                throw new ArgumentException($"Contributor {contributor} has a negative share of {share.PartsPerBillion} ppb.", nameof(shares));
            }
            if (!seen.Add(contributor))
            {
                throw new ArgumentException($"Contributor {contributor} is listed twice; merge its shares into one.", nameof(shares));
            }
            total += share.PartsPerBillion;
            canonical.Add(share with { Contributor = contributor });
        }
        if (shares.Count > 0 && total != DataShare.Whole)
        {
            throw new ArgumentException($"The attribution shares sum to {total} ppb; they must sum to exactly {DataShare.Whole} (or be empty).", nameof(shares));
        }
        // Lower address first, so ties in the largest-remainder step go to the lower address.
        canonical.Sort((a, b) => string.CompareOrdinal(a.Contributor, b.Contributor));
        return canonical;
    }

    private static void Add(List<Accrual> accruals, string recipient, AccrualRole role, BigInteger wei)
    {
        if (!wei.IsZero)
        {
            accruals.Add(new Accrual(recipient, role, wei));
        }
    }
}
