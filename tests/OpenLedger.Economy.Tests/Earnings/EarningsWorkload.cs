using System.Globalization;
using System.Numerics;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Tests.Earnings;

/// <summary>
/// A seeded history of charges, epoch posts and claims as the ledger would write it, and a delivery of it as grains
/// would make it: charges of an epoch in any order, and about a third of all events delivered again, later.
/// </summary>
internal sealed class EarningsWorkload
{
    private const int Contributors = 250;
    private const int ModelCount = 6;
    private static readonly string[] _datanets = ["datanet-law", "datanet-med", "datanet-code", "datanet-news"];

    private EarningsWorkload(List<EarningsEvent> events, List<EarningsEvent> deliveries, int lastEpoch)
    {
        Events = events;
        Deliveries = deliveries;
        LastEpoch = lastEpoch;
    }

    /// <summary>Every event once, in the order the ledger wrote them.</summary>
    public IReadOnlyList<EarningsEvent> Events { get; }

    /// <summary>The events as delivered: shuffled within an epoch's charges, with late duplicates.</summary>
    public IReadOnlyList<EarningsEvent> Deliveries { get; }

    /// <summary>The last epoch charged; it is left open (not posted).</summary>
    public int LastEpoch { get; }

    /// <summary>The protocol treasury.</summary>
    public static string Protocol { get; } = Addresses.Of(0xFFF_FFFF);

    /// <summary>Accounts to query: every contributor, developer and the treasury, and one nobody paid.</summary>
    public static IEnumerable<string> Accounts =>
        Enumerable.Range(1, Contributors).Select(Addresses.Of).Concat(Enumerable.Range(0, 3).Select(Developer)).Append(Protocol).Append(Addresses.Of(0xABC_DEF));

    /// <summary>Keys to query in each dimension, including one nobody used.</summary>
    public static IEnumerable<(EarningsDimension Dimension, string Key)> Keys =>
        _datanets.Append("datanet-unknown").Select(d => (EarningsDimension.Datanet, d))
            .Concat(Enumerable.Range(0, ModelCount + 1).Select(m => (EarningsDimension.Model, $"model-{m}")))
            .Concat(Enumerable.Range(0, ModelCount + 1).Select(m => (EarningsDimension.Adapter, $"adapter-{m}")))
            .Concat(Enumerable.Range(0, 9).Select(a => (EarningsDimension.Agent, Agent(a))));

    /// <summary>The Datanets of the workload, and one nobody used.</summary>
    public static IEnumerable<string> Datanets => _datanets.Append("datanet-unknown");

    /// <summary>Generates <paramref name="epochs"/> epochs of <paramref name="inferencesPerEpoch"/> inferences each.</summary>
    public static EarningsWorkload Generate(int seed, int epochs, int inferencesPerEpoch)
    {
        var random = new Random(seed);
        var events = new List<EarningsEvent>();
        var deliveries = new List<(double Time, EarningsEvent Event)>();
        var claimed = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        var posted = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        var transactions = 0;
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(epoch);
            var charges = Enumerable.Range(0, inferencesPerEpoch).Select(_ => Charge(random, epoch, start)).ToList();
            events.AddRange(charges);
            // Charges of one epoch come from many shards: any order.
            foreach (var charge in charges.OrderBy(_ => random.Next()))
            {
                Deliver(random, deliveries, charge);
            }
            if (epoch == epochs)
            {
                break;
            }
            var amounts = charges.SelectMany(c => c.Accruals).Where(a => a.Role != AccrualRole.Burn)
                .GroupBy(a => a.Recipient, StringComparer.Ordinal)
                .Select(g => new PostedAmount(g.Key, g.Aggregate(BigInteger.Zero, (s, a) => s + BigInteger.Parse(a.Wei, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)))
                .OrderBy(_ => random.Next()).ToList();
            var post = new EpochPosted(epoch, amounts);
            events.Add(post);
            Deliver(random, deliveries, post);
            foreach (var amount in amounts)
            {
                posted[amount.Account] = posted.GetValueOrDefault(amount.Account) + BigInteger.Parse(amount.Wei, CultureInfo.InvariantCulture);
            }
            foreach (var account in posted.Keys.Order(StringComparer.Ordinal).Where(_ => random.NextDouble() < 0.1).ToList())
            {
                var open = posted[account] - claimed.GetValueOrDefault(account);
                var cumulative = claimed.GetValueOrDefault(account) + (random.Next(3) == 0 ? open : open * random.Next(0, 100) / 100);
                claimed[account] = cumulative;
                var claim = new EarningsClaimed(account, cumulative.ToString(CultureInfo.InvariantCulture), "0x" + (++transactions).ToString("x64", CultureInfo.InvariantCulture));
                events.Add(claim);
                Deliver(random, deliveries, claim);
            }
        }
        return new EarningsWorkload(events, [.. deliveries.OrderBy(d => d.Time).Select(d => d.Event)], epochs);
    }

    /// <summary>An agent's address by number.</summary>
    public static string Agent(int n) => Addresses.Of(0x1000_0000 + n);

    private static string Developer(int n) => Addresses.Of(0x2000_0000 + n);

    private static void Deliver(Random random, List<(double Time, EarningsEvent Event)> deliveries, EarningsEvent original)
    {
        var time = deliveries.Count;
        deliveries.Add((time, original));
        if (random.NextDouble() < 0.35)
        {
            // A redelivery: an equal event in a new object, some time after the original.
            deliveries.Add((time + random.Next(0, 400) + 0.5, Copy(original)));
        }
    }

    private static EarningsEvent Copy(EarningsEvent original) => original switch
    {
        InferenceCharged c => c with { Accruals = [.. c.Accruals.Reverse().Select(a => a with { ContributionIds = a.ContributionIds?.Reverse().ToList() })] },
        EpochPosted p => p with { Amounts = [.. p.Amounts.Reverse()] },
        EarningsClaimed c => c with { Transaction = "0x" + c.Transaction[2..].ToUpperInvariant() },
        _ => throw new ArgumentOutOfRangeException(nameof(original)),
    };

    private static InferenceCharged Charge(Random random, int epoch, DateTimeOffset start)
    {
        var id = $"inf-{random.Next():x8}-{random.Next():x4}";
        // Few distinct minutes, so inferences served at the same time are common and pages order them by id.
        var at = start.AddMinutes(random.Next(0, 300));
        var model = random.Next(ModelCount);
        if (random.NextDouble() < 0.1)
        {
            return new InferenceCharged(id, epoch, at, null, $"model-{model}", $"adapter-{model}", "0", []);
        }
        var agent = Agent(random.Next(8));
        var fee = new BigInteger(random.NextInt64(0, 1_000_000_000_000_000_000)) * random.Next(1, 100_000);
        var shares = Shares(random);
        var split = FeeSplitter.Split(fee, FeeSplit.Default, new FeeRecipients(Protocol, Developer(model % 3)), shares);
        var datanets = new[] { _datanets[model % _datanets.Length], _datanets[(model + 1) % _datanets.Length] };
        var accruals = new List<EarningsAccrual>();
        foreach (var accrual in split)
        {
            if (accrual.Role != AccrualRole.DataContributor)
            {
                accruals.Add(new EarningsAccrual(accrual.Recipient, accrual.Role, accrual.Wei.ToString(CultureInfo.InvariantCulture)));
                continue;
            }
            if (model % 2 == 0 && accrual.Wei >= 2 && random.NextDouble() < 0.5)
            {
                // A share earned partly in each of the model's two Datanets.
                var first = accrual.Wei * random.Next(1, 100) / 100;
                accruals.Add(Data(random, accrual.Recipient, first, datanets[0]));
                accruals.Add(Data(random, accrual.Recipient, accrual.Wei - first, datanets[1]));
            }
            else
            {
                accruals.Add(Data(random, accrual.Recipient, accrual.Wei, random.NextDouble() < 0.15 ? null : datanets[0]));
            }
        }
        return new InferenceCharged(id, epoch, at, agent, $"model-{model}", $"adapter-{model}", fee.ToString(CultureInfo.InvariantCulture), accruals);
    }

    private static EarningsAccrual Data(Random random, string contributor, BigInteger wei, string? datanet) =>
        new(contributor, AccrualRole.DataContributor, wei.ToString(CultureInfo.InvariantCulture), datanet,
            [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => $"contribution-{random.Next(40)}")]);

    private static List<DataShare> Shares(Random random)
    {
        var count = random.Next(0, 5);
        var contributors = Enumerable.Range(1, Contributors).OrderBy(_ => random.Next()).Take(count).Select(Addresses.Of).ToList();
        var weights = contributors.Select(_ => (long)random.Next(1, 1_000)).ToList();
        var total = weights.Sum();
        var parts = weights.Select(w => w * DataShare.Whole / total).ToList();
        if (parts.Count > 0)
        {
            parts[0] += DataShare.Whole - parts.Sum();
        }
        return [.. contributors.Select((c, i) => new DataShare(c, parts[i]))];
    }
}
