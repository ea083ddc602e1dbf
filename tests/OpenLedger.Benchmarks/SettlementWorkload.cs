using System.Numerics;
using OpenLedger.Economy.Epochs;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Benchmarks;

/// <summary>
/// One epoch's attributed inferences reaching a given number of recipients, priced and split by the engine as the grid
/// will: <see cref="InferenceFee"/> prices each inference, <see cref="FeeSplitter"/> splits it (burn, protocol, model
/// developer, and the contributors by attribution shares in parts per billion), and <see cref="AccrueInto"/> hands the
/// accruals to an <see cref="EpochLedger"/>. Recipients are random addresses (claims need no keys: anyone may send a
/// claim); the first two are the protocol treasury and the model developer, the rest contributors. Each inference
/// names up to <see cref="MaxContributorsPerInference"/> contributors, and the agents take turns paying for them, so
/// every agent is debited each epoch.
/// </summary>
public sealed class SettlementWorkload
{
    /// <summary>The most contributors one inference's attribution names.</summary>
    public const int MaxContributorsPerInference = 1_000;

    // 2 OPEN per 1,000 tokens; answers of 200-2,000 tokens.
    private static readonly BigInteger _weiPerThousandTokens = 2 * BigInteger.Pow(10, 18);

    private readonly List<IReadOnlyList<Accrual>> _inferences = [];

    /// <summary>Makes the epoch's inferences for <paramref name="recipients"/> recipients (at least 3) paid by <paramref name="agents"/> agents.</summary>
    public SettlementWorkload(int recipients, int agents, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recipients, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, 1);
        var random = new Random(seed);
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        var bytes = new byte[20];
        while (addresses.Count < recipients)
        {
            random.NextBytes(bytes);
            addresses.Add("0x" + Convert.ToHexStringLower(bytes));
        }
        Recipients = addresses.Order(StringComparer.Ordinal).ToList();
        var shuffled = Recipients.OrderBy(_ => random.Next()).ToList();
        var fixedParts = new FeeRecipients(shuffled[0], shuffled[1]);
        var contributors = shuffled.Skip(2).ToList();

        var groups = contributors.Chunk(MaxContributorsPerInference).ToList();
        var debits = new BigInteger[agents];
        var payouts = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Max(agents, groups.Count); i++)
        {
            var group = groups[i % groups.Count];
            var shares = group.Select((c, j) => new DataShare(c, DataShare.Whole / group.Length + (j < DataShare.Whole % group.Length ? 1 : 0))).ToList();
            var fee = InferenceFee.Compute(random.Next(200, 2_001), _weiPerThousandTokens);
            var accruals = FeeSplitter.Split(fee, FeeSplit.Default, fixedParts, shares);
            _inferences.Add(accruals);
            debits[i % agents] += fee;
            foreach (var accrual in accruals.Where(a => a.Role != AccrualRole.Burn))
            {
                payouts[accrual.Recipient] = payouts.GetValueOrDefault(accrual.Recipient) + accrual.Wei;
            }
        }
        AgentDebits = debits;
        Payouts = payouts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToList();
    }

    /// <summary>Every recipient, ordered by address.</summary>
    public IReadOnlyList<string> Recipients { get; }

    /// <summary>What each agent is charged for the epoch, in the order of the agents.</summary>
    public IReadOnlyList<BigInteger> AgentDebits { get; }

    /// <summary>What each recipient earns in the epoch (burn excluded), ordered by address: what a push payout sends.</summary>
    public IReadOnlyList<(string Recipient, BigInteger Wei)> Payouts { get; }

    /// <summary>Everything the agents are charged for the epoch: its payouts plus its burn.</summary>
    public BigInteger TotalDebits => AgentDebits.Aggregate(BigInteger.Zero, (a, b) => a + b);

    /// <summary>Accrues the epoch's inferences, one at a time as they would be served.</summary>
    public void AccrueInto(EpochLedger ledger)
    {
        foreach (var accruals in _inferences)
        {
            ledger.Accrue(accruals);
        }
    }
}
