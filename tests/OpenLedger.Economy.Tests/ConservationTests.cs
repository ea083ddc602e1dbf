using System.Numerics;
using OpenLedger.Economy.Epochs;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Tests;

public class ConservationTests
{
    private const int Inferences = 12_000;
    private const int InferencesPerEpoch = 1_500;

    [Fact]
    public void Agent_debits_equal_accruals_plus_burn_to_the_wei_over_random_inferences()
    {
        var random = new Random(20_260_601);
        var pool = Enumerable.Range(1, 400).Select(Addresses.Of).ToArray();
        var protocol = Addresses.Of(0xFFFF_FFF);
        var ledger = new EpochLedger();
        var tally = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        var (debits, epochDebits, posted, burned) = (BigInteger.Zero, BigInteger.Zero, BigInteger.Zero, BigInteger.Zero);
        var closes = new List<EpochClose>();
        for (var i = 0; i < Inferences; i++)
        {
            var fee = i % 3 == 0 ? InferenceFee.Compute(random.NextInt64(0, 100_000), RandomWei(random, BigInteger.Pow(10, 22))) : RandomWei(random, BigInteger.Pow(10, 24));
            if (fee > BigInteger.Pow(10, 24))
            {
                fee = BigInteger.Pow(10, 24);
            }
            var policy = RandomPolicy(random);
            var shares = RandomShares(random, pool);
            var recipients = new FeeRecipients(protocol, pool[random.Next(10)]);
            var accruals = FeeSplitter.Split(fee, policy, recipients, shares);

            Assert.Equal(fee, accruals.Aggregate(BigInteger.Zero, (s, a) => s + a.Wei));
            Assert.All(accruals, a => Assert.True(a.Wei.Sign > 0));
            var data = accruals.Where(a => a.Role == AccrualRole.DataContributor).ToList();
            var dataPart = data.Aggregate(BigInteger.Zero, (s, a) => s + a.Wei);
            foreach (var accrual in data)
            {
                // Largest remainder: each contributor gets its exact share rounded down or up, never further off.
                var exact = dataPart * shares.Single(s => s.Contributor == accrual.Recipient).PartsPerBillion;
                Assert.True(accrual.Wei * DataShare.Whole >= exact - DataShare.Whole + 1 && accrual.Wei * DataShare.Whole < exact + DataShare.Whole);
            }

            ledger.Accrue(accruals);
            debits += fee;
            epochDebits += fee;
            foreach (var accrual in accruals.Where(a => a.Role != AccrualRole.Burn))
            {
                tally[accrual.Recipient] = tally.GetValueOrDefault(accrual.Recipient) + accrual.Wei;
            }
            if ((i + 1) % InferencesPerEpoch == 0)
            {
                var close = ledger.Close();
                Assert.Equal(epochDebits, close.Total + close.Burn);
                posted += close.Total;
                burned += close.Burn;
                epochDebits = BigInteger.Zero;
                closes.Add(close);
                Assert.Equal(posted, close.Leaves.Aggregate(BigInteger.Zero, (s, l) => s + l.CumulativeAmount));
                Assert.Equal(tally.Count, close.Leaves.Count);
                Assert.All(close.Leaves, l => Assert.Equal(tally[l.Account], l.CumulativeAmount));
            }
        }
        Assert.Equal(Inferences / InferencesPerEpoch, closes.Count);
        Assert.Equal(debits, posted + burned);
        Assert.Equal(Enumerable.Range(1, closes.Count).Select(i => (long)i), closes.Select(c => c.EpochId));
        var last = closes[^1];
        Assert.All(last.Leaves, l => Assert.True(SortedPairVerifier.Verify(last.Proof(l.Account), last.Root, l.Hash)));
    }

    private static BigInteger RandomWei(Random random, BigInteger max)
    {
        var bytes = new byte[max.GetByteCount(isUnsigned: true) + 1];
        random.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % (max + 1);
    }

    private static FeeSplit RandomPolicy(Random random)
    {
        var cuts = new[] { 0, random.Next(FeeSplit.Whole + 1), random.Next(FeeSplit.Whole + 1), random.Next(FeeSplit.Whole + 1), FeeSplit.Whole };
        Array.Sort(cuts);
        return new FeeSplit(cuts[1] - cuts[0], cuts[2] - cuts[1], cuts[3] - cuts[2], cuts[4] - cuts[3]);
    }

    private static List<DataShare> RandomShares(Random random, string[] pool)
    {
        var count = random.Next(51);
        if (count == 0)
        {
            return [];
        }
        var contributors = pool.OrderBy(_ => random.Next()).Take(count).ToArray();
        var cuts = Enumerable.Range(0, count - 1).Select(_ => random.NextInt64(DataShare.Whole + 1)).Append(0).Append(DataShare.Whole).Order().ToArray();
        return contributors.Select((c, i) => new DataShare(c, cuts[i + 1] - cuts[i])).ToList();
    }
}
