using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Tests.Earnings;

public class EarningsRefusalTests
{
    private static readonly string _contributor = Addresses.Of(1);
    private static readonly string _protocol = EarningsWorkload.Protocol;
    private static readonly DateTimeOffset _at = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, EarningsEvent, string> MalformedEvents => new()
    {
        { "negative fee", Charge("inf-new", "-100", Data("60"), Protocol("40")), "FeeWei" },
        { "negative accrual", Charge("inf-new", "100", Data("-60"), Protocol("160")), "Accruals[0].Wei" },
        { "fee in exponent notation", Charge("inf-new", "1e18", Protocol("1000000000000000000")), "FeeWei" },
        { "accruals short of the fee", Charge("inf-new", "100", Data("60"), Protocol("39")), "Accruals" },
        { "burn paid to an account", Charge("inf-new", "100", new EarningsAccrual(_protocol, AccrualRole.Burn, "100")), "Accruals[0].Recipient" },
        { "earner at the zero address", Charge("inf-new", "100", new EarningsAccrual(FeeSplitter.BurnAddress, AccrualRole.Protocol, "100")), "Accruals[0].Recipient" },
        { "Datanet on a protocol part", Charge("inf-new", "100", new EarningsAccrual(_protocol, AccrualRole.Protocol, "100", "datanet-law")), "Accruals[0].DatanetId" },
        { "epoch zero", Charge("inf-new", "100", Protocol("100")) with { Epoch = 0 }, "Epoch" },
        { "negative posted amount", new EpochPosted(2, [new PostedAmount(_contributor, "5"), new PostedAmount(_protocol, "-5")]), "Amounts[1].Wei" },
        { "account posted twice", new EpochPosted(2, [new PostedAmount(_contributor, "5"), new PostedAmount(_contributor.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), "5")]), "Amounts[1].Account" },
        { "negative claim", new EarningsClaimed(_contributor, "-1", "0xbad"), "CumulativeWei" },
        { "claim without a transaction", new EarningsClaimed(_contributor, "1", " "), "Transaction" },
    };

    [Theory]
    [MemberData(nameof(MalformedEvents))]
    public void A_malformed_event_is_refused_with_the_field_named_and_the_index_unchanged(string problem, EarningsEvent malformed, string field)
    {
        var index = Seeded();
        var before = EarningsAgreement.Snapshot(index, 2);

        var error = Assert.Throws<InvalidEarningsEventException>(() => index.Apply(malformed));

        Assert.True(field == error.Field, $"{problem}: expected field {field}, got {error.Field} ({error.Message})");
        Assert.Equal("invalid_earnings_event", error.Code);
        Assert.Equal(malformed.Key, error.EventKey);
        Assert.Equal(before, EarningsAgreement.Snapshot(index, 2));
    }

    [Fact]
    public void An_epoch_posted_again_with_other_amounts_is_a_conflict_and_the_first_post_stands()
    {
        var index = Seeded();
        var before = EarningsAgreement.Snapshot(index, 2);

        var error = Assert.Throws<ConflictingEarningsEventException>(() => index.Apply(new EpochPosted(1, [new PostedAmount(_contributor, "61"), new PostedAmount(_protocol, "40")])));

        Assert.Equal("conflicting_earnings_event", error.Code);
        Assert.Contains("101", error.Difference, StringComparison.Ordinal);
        Assert.Equal(before, EarningsAgreement.Snapshot(index, 2));
        Assert.Equal(60, index.Account(_contributor).Posted);
    }

    [Fact]
    public void An_inference_charged_again_with_another_fee_is_a_conflict_and_the_first_charge_stands()
    {
        var index = Seeded();
        var before = EarningsAgreement.Snapshot(index, 2);

        var error = Assert.Throws<ConflictingEarningsEventException>(() => index.Apply(Charge("inf-1", "200", Data("120"), Protocol("80"))));

        Assert.Contains("fee 100 wei, now 200 wei", error.Difference, StringComparison.Ordinal);
        Assert.Equal(before, EarningsAgreement.Snapshot(index, 2));
    }

    [Fact]
    public void A_claim_above_what_was_posted_is_refused_with_both_amounts_and_the_index_unchanged()
    {
        var index = Seeded();
        var before = EarningsAgreement.Snapshot(index, 2);

        var error = Assert.Throws<ClaimExceedsPostedException>(() => index.Apply(new EarningsClaimed(_contributor, "61", "0xc1")));

        Assert.Equal(("claim_exceeds_posted", _contributor, 61, 60), (error.Code, error.Account, (int)error.ClaimedWei, (int)error.PostedWei));
        Assert.Equal(before, EarningsAgreement.Snapshot(index, 2));
        // The same transaction with a claim that fits is not taken for a conflict with the refused one.
        Assert.True(index.Apply(new EarningsClaimed(_contributor, "60", "0xc1")));
    }

    [Fact]
    public void A_claim_transaction_seen_with_another_amount_is_a_conflict()
    {
        var index = Seeded();
        index.Apply(new EarningsClaimed(_contributor, "50", "0xc1"));
        var before = EarningsAgreement.Snapshot(index, 2);

        Assert.Throws<ConflictingEarningsEventException>(() => index.Apply(new EarningsClaimed(_contributor, "55", "0xC1")));

        Assert.Equal(before, EarningsAgreement.Snapshot(index, 2));
    }

    /// <summary>One epoch charged and posted: inference inf-1 paid the contributor 60 wei and the protocol 40.</summary>
    private static EarningsIndex Seeded()
    {
        var index = new EarningsIndex();
        index.Apply(Charge("inf-1", "100", Data("60"), Protocol("40")));
        index.Apply(new EpochPosted(1, [new PostedAmount(_contributor, "60"), new PostedAmount(_protocol, "40")]));
        return index;
    }

    private static InferenceCharged Charge(string id, string fee, params EarningsAccrual[] accruals) =>
        new(id, 1, _at, EarningsWorkload.Agent(0), "model-0", "adapter-0", fee, accruals);

    private static EarningsAccrual Data(string wei) => new(_contributor, AccrualRole.DataContributor, wei, "datanet-law", ["contribution-1"]);

    private static EarningsAccrual Protocol(string wei) => new(_protocol, AccrualRole.Protocol, wei);
}
