using OpenLedger.Economy.Earnings;

namespace OpenLedger.Economy.Tests.Earnings;

public class EarningsIndexTests
{
    private const int Epochs = 5;
    private const int InferencesPerEpoch = 160;

    [Theory]
    [InlineData(20_260_701)]
    [InlineData(7)]
    public void Every_query_matches_a_brute_force_recomputation_to_the_wei_despite_duplicates_and_shuffled_delivery(int seed)
    {
        var workload = EarningsWorkload.Generate(seed, Epochs, InferencesPerEpoch);
        var index = new EarningsIndex();

        var applied = workload.Deliveries.Count(index.Apply);

        Assert.Equal(workload.Events.Count, applied);
        Assert.True(workload.Deliveries.Count > workload.Events.Count + 100, "The workload should redeliver many events.");
        EarningsAgreement.AssertMatches(index, new EarningsReference(workload.Events), workload.LastEpoch);
    }

    [Fact]
    public void Accruals_and_burns_add_up_to_the_fees_charged_in_every_epoch_and_over_all_accounts()
    {
        var workload = EarningsWorkload.Generate(11, Epochs, InferencesPerEpoch);
        var index = new EarningsIndex();
        foreach (var delivery in workload.Deliveries)
        {
            index.Apply(delivery);
        }
        var reference = new EarningsReference(workload.Events);

        var epochs = index.Epochs();
        Assert.Equal(Epochs, epochs.Count);
        Assert.All(epochs, e => Assert.Equal(e.Fees, e.Accrued + e.Burned));
        Assert.All(epochs.Where(e => e.Posted is not null), e => Assert.Equal(e.Accrued, e.Posted));
        Assert.Equal(reference.Fees, reference.AllAccruals);
        Assert.Equal(reference.Fees, epochs.Aggregate(System.Numerics.BigInteger.Zero, (s, e) => s + e.Fees));
        var accountsAccrued = EarningsWorkload.Accounts.Select(a => index.Account(a).Accrued).Aggregate(System.Numerics.BigInteger.Zero, (s, a) => s + a);
        Assert.Equal(epochs.Aggregate(System.Numerics.BigInteger.Zero, (s, e) => s + e.Accrued), accountsAccrued);
    }

    [Fact]
    public void Applying_every_event_again_in_reverse_changes_nothing()
    {
        var workload = EarningsWorkload.Generate(3, 3, 80);
        var index = new EarningsIndex();
        foreach (var delivery in workload.Deliveries)
        {
            index.Apply(delivery);
        }
        var before = EarningsAgreement.Snapshot(index, workload.LastEpoch);

        var changed = workload.Events.Reverse().Count(index.Apply);

        Assert.Equal(0, changed);
        Assert.Equal(before, EarningsAgreement.Snapshot(index, workload.LastEpoch));
    }

    [Fact]
    public void A_late_claim_under_an_older_transaction_never_lowers_what_was_claimed()
    {
        var account = Addresses.Of(42);
        var index = new EarningsIndex();
        index.Apply(new EpochPosted(1, [new PostedAmount(account, "1000")]));
        index.Apply(new EarningsClaimed(account, "900", "0x02"));

        Assert.True(index.Apply(new EarningsClaimed(account, "300", "0x01")));

        Assert.Equal(new AccountEarnings(account, 0, 1_000, 900), index.Account(account));
        Assert.Equal(100, index.Account(account).Claimable);
    }
}
