using System.Globalization;
using System.Numerics;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Cluster.Tests.Earnings;

/// <summary>
/// A seeded ledger history for the earnings tables: charges over three epochs whose amounts cross 2^64, decimal's
/// 28 digits and reach 37 digits, two epochs posted, and claims. Every table total stays within 38 digits, as any
/// real ledger's does (the OPEN supply is 10^27 wei).
/// </summary>
internal static class EarningsTableWorkload
{
    private static readonly string[] _datanets = ["datanet-law", "datanet-med"];

    /// <summary>The events, in the order the ledger would emit them.</summary>
    public static IReadOnlyList<EarningsEvent> Generate(int seed, int inferences)
    {
        var random = new Random(seed);
        var protocol = Address(0xFFF_FFFF);
        var events = new List<EarningsEvent>();
        var posted = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            var charges = new List<InferenceCharged>();
            for (var i = 0; i < inferences / 3; i++)
            {
                var fee = (i % 97) switch
                {
                    0 => BigInteger.Pow(10, 36) * random.Next(1, 9) + random.NextInt64(),
                    1 => BigInteger.Pow(10, 28) * random.Next(1, 1_000) + random.NextInt64(),
                    _ => new BigInteger(random.NextInt64(1, long.MaxValue)) * random.Next(1, 100_000),
                };
                var contributors = Enumerable.Range(1, 40).OrderBy(_ => random.Next()).Take(random.Next(0, 9)).Select(Address).ToList();
                var shares = Shares(random, contributors);
                var model = random.Next(3);
                var split = FeeSplitter.Split(fee, FeeSplit.Default, new FeeRecipients(protocol, Address(0x2000 + model)), shares);
                var accruals = split.Select(a => new EarningsAccrual(a.Recipient, a.Role, a.Wei.ToString(CultureInfo.InvariantCulture),
                    a.Role == AccrualRole.DataContributor && random.Next(5) > 0 ? _datanets[model % 2] : null)).ToList();
                var at = new DateTimeOffset(2026, 11, epoch, 9, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(0, TimeSpan.TicksPerHour));
                var agent = random.Next(10) == 0 ? null : Address(0x1000 + random.Next(4));
                charges.Add(new InferenceCharged($"inf-{epoch}-{i:d4}-{random.Next():x8}", epoch, at, agent, $"model-{model}",
                    random.Next(4) == 0 ? null : $"adapter-{model}", fee.ToString(CultureInfo.InvariantCulture), accruals));
            }
            events.AddRange(charges);
            if (epoch == 3)
            {
                break;
            }
            var amounts = charges.SelectMany(c => c.Accruals).Where(a => a.Role != AccrualRole.Burn)
                .GroupBy(a => a.Recipient, StringComparer.Ordinal)
                .Select(g => new PostedAmount(g.Key, g.Aggregate(BigInteger.Zero, (s, a) => s + BigInteger.Parse(a.Wei, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)))
                .ToList();
            events.Add(new EpochPosted(epoch, amounts));
            foreach (var amount in amounts)
            {
                posted[amount.Account] = posted.GetValueOrDefault(amount.Account) + BigInteger.Parse(amount.Wei, CultureInfo.InvariantCulture);
            }
        }
        var claimants = posted.Keys.Order(StringComparer.Ordinal).Where((_, i) => i % 5 == 0).ToList();
        events.AddRange(claimants.Select((account, i) =>
            new EarningsClaimed(account, (posted[account] / 2).ToString(CultureInfo.InvariantCulture), "0x" + (i + 1).ToString("x64", CultureInfo.InvariantCulture))));
        return events;
    }

    private static string Address(int n) => "0x" + n.ToString("x40", CultureInfo.InvariantCulture);

    private static List<DataShare> Shares(Random random, List<string> contributors)
    {
        var weights = contributors.Select(_ => (long)random.Next(1, 1_000)).ToList();
        var total = Math.Max(1, weights.Sum());
        var parts = weights.Select(w => w * DataShare.Whole / total).ToList();
        if (parts.Count > 0)
        {
            parts[0] += DataShare.Whole - parts.Sum();
        }
        return [.. contributors.Select((c, i) => new DataShare(c, parts[i]))];
    }
}
