using System.Globalization;
using System.Numerics;
using OpenLedger.Economy;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Benchmarks;

/// <summary>
/// A seeded ledger history at analyst scale: 100,000 contributors and 1,000,000 accrual rows over 10 epochs, 9 of them
/// posted, with claims. Each inference pays the burn, the treasury, one of 20 model developers and 4 to 10
/// contributors, drawn with a skew (a few contributors are in many answers, most in few), in one of 8 Datanets.
/// </summary>
internal sealed class EarningsQueryWorkload
{
    /// <summary>Distinct contributor accounts.</summary>
    public const int Contributors = 100_000;

    /// <summary>Accrual rows, at least.</summary>
    public const int Accruals = 1_000_000;

    /// <summary>Epochs charged; all but the last are posted.</summary>
    public const int Epochs = 10;

    private EarningsQueryWorkload(List<EarningsEvent> events, string[] contributors, long accrualRows)
    {
        Events = events;
        ContributorAddresses = contributors;
        AccrualRows = accrualRows;
    }

    /// <summary>Every event once, in ledger order.</summary>
    public IReadOnlyList<EarningsEvent> Events { get; }

    /// <summary>The contributors' addresses.</summary>
    public IReadOnlyList<string> ContributorAddresses { get; }

    /// <summary>Accrual rows in <see cref="Events"/>.</summary>
    public long AccrualRows { get; }

    /// <summary>Generates the history from <paramref name="seed"/>.</summary>
    public static EarningsQueryWorkload Generate(int seed)
    {
        var random = new Random(seed);
        var contributors = Enumerable.Range(1, Contributors).Select(Address).ToArray();
        var developers = Enumerable.Range(0, 20).Select(i => Address(0x0200_0000 + i)).ToArray();
        var agents = Enumerable.Range(0, 50).Select(i => Address(0x0100_0000 + i)).ToArray();
        var protocol = Address(0x0FFF_FFFF);
        // Rows per inference average 3 + 7 = 10: enough inferences for the rows asked, spread over the epochs.
        var perEpoch = Accruals / 10 / Epochs + 1;
        var events = new List<EarningsEvent>(perEpoch * Epochs + Epochs * 2_000);
        var posted = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        var claimed = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        long rows = 0;
        var claims = 0;
        for (var epoch = 1; epoch <= Epochs; epoch++)
        {
            var epochStart = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(7 * epoch);
            var owed = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
            for (var i = 0; i < perEpoch; i++)
            {
                var model = random.Next(developers.Length);
                var fee = new BigInteger(random.NextInt64(1_000_000_000_000, 5_000_000_000_000_000)) * random.Next(1, 200);
                var picked = new HashSet<int>();
                var count = random.Next(4, 11);
                while (picked.Count < count)
                {
                    // Squaring a uniform draw favours low numbers: contributor 1 is in many answers, contributor 99,999 in few.
                    var u = random.NextDouble();
                    picked.Add((int)(u * u * Contributors));
                }
                var weights = picked.Select(_ => (long)random.Next(1, 1_000)).ToList();
                var total = weights.Sum();
                var parts = weights.Select(w => w * DataShare.Whole / total).ToList();
                parts[0] += DataShare.Whole - parts.Sum();
                var shares = picked.Select((c, k) => new DataShare(contributors[c], parts[k])).ToList();
                var split = FeeSplitter.Split(fee, FeeSplit.Default, new FeeRecipients(protocol, developers[model]), shares);
                var datanet = $"datanet-{model % 8}";
                var accruals = split.Select(a => new EarningsAccrual(a.Recipient, a.Role, a.Wei.ToString(CultureInfo.InvariantCulture),
                    a.Role == AccrualRole.DataContributor ? datanet : null)).ToList();
                foreach (var a in split.Where(a => a.Role != AccrualRole.Burn))
                {
                    owed[a.Recipient] = owed.GetValueOrDefault(a.Recipient) + a.Wei;
                }
                rows += accruals.Count;
                events.Add(new InferenceCharged($"inf-{epoch:d2}-{i:d6}", epoch, epochStart.AddSeconds(i * 5 + random.Next(5)),
                    agents[random.Next(agents.Length)], $"model-{model}", $"adapter-{model}", fee.ToString(CultureInfo.InvariantCulture), accruals));
            }
            if (epoch == Epochs)
            {
                break;
            }
            events.Add(new EpochPosted(epoch, [.. owed.Select(o => new PostedAmount(o.Key, o.Value.ToString(CultureInfo.InvariantCulture)))]));
            foreach (var (account, wei) in owed)
            {
                posted[account] = posted.GetValueOrDefault(account) + wei;
            }
            foreach (var account in owed.Keys.Where(_ => random.NextDouble() < 0.05))
            {
                claimed[account] = posted[account];
                events.Add(new EarningsClaimed(account, posted[account].ToString(CultureInfo.InvariantCulture), "0x" + (++claims).ToString("x64", CultureInfo.InvariantCulture)));
            }
        }
        return new EarningsQueryWorkload(events, contributors, rows);
    }

    private static string Address(int n) => "0x" + n.ToString("x40", CultureInfo.InvariantCulture);
}
