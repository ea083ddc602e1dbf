using System.Numerics;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Tests;

public class FeeSplitterTests
{
    private static readonly FeeRecipients _recipients = new(Addresses.Of(0xA1), Addresses.Of(0xD1));

    private static BigInteger Of(IReadOnlyList<Accrual> accruals, AccrualRole role, string? recipient = null) =>
        accruals.Where(a => a.Role == role && (recipient is null || a.Recipient == recipient)).Aggregate(BigInteger.Zero, (s, a) => s + a.Wei);

    [Fact]
    public void Default_split_of_a_round_fee_with_thirds_by_hand()
    {
        // 10,000 wei: burn 500, protocol 1,000, developer 3,500, data 5,000. The data part by shares
        // 333,333,334 / 333,333,333 / 333,333,333 ppb is exactly 1666.66667 / 1666.666665 / 1666.666665: floors give
        // 4,998, the first share's larger remainder takes one wei and the tie between the other two goes to the lower
        // address (0x...c2, listed last), not to the one listed first.
        var (first, high, low) = (Addresses.Of(0xC1), Addresses.Of(0xC3), Addresses.Of(0xC2));
        var accruals = FeeSplitter.Split(10_000, FeeSplit.Default, _recipients,
            [new DataShare(first, 333_333_334), new DataShare(high, 333_333_333), new DataShare(low, 333_333_333)]);
        Assert.Equal(500, Of(accruals, AccrualRole.Burn));
        Assert.Equal(1_000, Of(accruals, AccrualRole.Protocol, _recipients.Protocol));
        Assert.Equal(3_500, Of(accruals, AccrualRole.ModelDeveloper, _recipients.ModelDeveloper));
        Assert.Equal(1_667, Of(accruals, AccrualRole.DataContributor, first));
        Assert.Equal(1_667, Of(accruals, AccrualRole.DataContributor, low));
        Assert.Equal(1_666, Of(accruals, AccrualRole.DataContributor, high));
        Assert.Equal(FeeSplitter.BurnAddress, accruals.Single(a => a.Role == AccrualRole.Burn).Recipient);
    }

    [Fact]
    public void Largest_remainders_win_the_leftover_wei()
    {
        // 7 wei by 600,000,000 / 300,000,000 / 100,000,000 ppb: exact 4.2 / 2.1 / 0.7, floors 4 / 2 / 0, one wei left
        // goes to the largest remainder (0.7), not to the largest share.
        var (a, b, c) = (Addresses.Of(1), Addresses.Of(2), Addresses.Of(3));
        var parts = FeeSplitter.Split(70, new FeeSplit(0, 0, 9_000, 1_000), _recipients,
            [new DataShare(a, 600_000_000), new DataShare(b, 300_000_000), new DataShare(c, 100_000_000)]);
        Assert.Equal(63, Of(parts, AccrualRole.ModelDeveloper));
        Assert.Equal(4, Of(parts, AccrualRole.DataContributor, a));
        Assert.Equal(2, Of(parts, AccrualRole.DataContributor, b));
        Assert.Equal(1, Of(parts, AccrualRole.DataContributor, c));
    }

    [Fact]
    public void Ties_between_the_four_parts_go_to_earners_before_the_burn()
    {
        // 3 wei in four equal quarters: every floor is 0 with the same remainder; the 3 wei go to data, developer, protocol.
        var contributor = Addresses.Of(7);
        var accruals = FeeSplitter.Split(3, new FeeSplit(2_500, 2_500, 2_500, 2_500), _recipients, [new DataShare(contributor, DataShare.Whole)]);
        Assert.Equal(0, Of(accruals, AccrualRole.Burn));
        Assert.Equal(1, Of(accruals, AccrualRole.Protocol));
        Assert.Equal(1, Of(accruals, AccrualRole.ModelDeveloper));
        Assert.Equal(1, Of(accruals, AccrualRole.DataContributor, contributor));
        Assert.DoesNotContain(accruals, a => a.Wei.IsZero);
    }

    [Fact]
    public void One_wei_under_the_default_split_goes_to_the_data_part()
    {
        var contributor = Addresses.Of(7);
        var accrual = Assert.Single(FeeSplitter.Split(1, FeeSplit.Default, _recipients, [new DataShare(contributor, DataShare.Whole)]));
        Assert.Equal(new Accrual(contributor, AccrualRole.DataContributor, 1), accrual);
    }

    [Fact]
    public void An_unattributed_inference_gives_the_data_part_to_the_protocol()
    {
        var accruals = FeeSplitter.Split(10_000, FeeSplit.Default, _recipients, []);
        Assert.Equal(6_000, Of(accruals, AccrualRole.Protocol, _recipients.Protocol));
        Assert.Equal(3_500, Of(accruals, AccrualRole.ModelDeveloper));
        Assert.Equal(500, Of(accruals, AccrualRole.Burn));
        Assert.DoesNotContain(accruals, a => a.Role == AccrualRole.DataContributor);
    }

    [Fact]
    public void Addresses_are_made_canonical_and_a_mixed_case_duplicate_is_caught()
    {
        var upper = "0x" + new string('A', 40);
        var accruals = FeeSplitter.Split(100, new FeeSplit(0, 0, 0, 10_000), _recipients, [new DataShare(upper, DataShare.Whole)]);
        Assert.Equal("0x" + new string('a', 40), Assert.Single(accruals).Recipient);
        var error = Assert.Throws<ArgumentException>(() => FeeSplitter.Split(100, FeeSplit.Default, _recipients,
            [new DataShare(upper, 500_000_000), new DataShare(upper.ToLowerInvariant(), 500_000_000)]));
        Assert.Contains("listed twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_clear_message()
    {
        var a = Addresses.Of(1);
        var b = Addresses.Of(2);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => FeeSplitter.Split(-1, FeeSplit.Default, _recipients, [])).Message, StringComparison.Ordinal);
        Assert.Contains("uint256", Assert.Throws<ArgumentException>(() => FeeSplitter.Split(Wei.MaxUInt256 + 1, FeeSplit.Default, _recipients, [])).Message, StringComparison.Ordinal);
        Assert.Contains("sum to 999999999 ppb", Assert.Throws<ArgumentException>(() => FeeSplitter.Split(100, FeeSplit.Default, _recipients,
            [new DataShare(a, 500_000_000), new DataShare(b, 499_999_999)])).Message, StringComparison.Ordinal);
        Assert.Contains("sum to 1000000001 ppb", Assert.Throws<ArgumentException>(() => FeeSplitter.Split(100, FeeSplit.Default, _recipients,
            [new DataShare(a, 1_000_000_001)])).Message, StringComparison.Ordinal);
        Assert.Contains("negative share", Assert.Throws<ArgumentException>(() => FeeSplitter.Split(100, FeeSplit.Default, _recipients,
            [new DataShare(a, -1), new DataShare(b, 1_000_000_001)])).Message, StringComparison.Ordinal);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => FeeSplitter.Split(100, FeeSplit.Default, _recipients,
            [new DataShare(a, 500_000_000), new DataShare(a, 500_000_000)])).Message, StringComparison.Ordinal);
        Assert.Contains("not an Ethereum address", Assert.Throws<ArgumentException>(() => FeeSplitter.Split(100, FeeSplit.Default, _recipients,
            [new DataShare("alice", DataShare.Whole)])).Message, StringComparison.Ordinal);
        Assert.Contains("zero address", Assert.Throws<ArgumentException>(() => FeeSplitter.Split(100, FeeSplit.Default,
            _recipients with { ModelDeveloper = FeeSplitter.BurnAddress }, [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_fee_accrues_nothing()
    {
        Assert.Empty(FeeSplitter.Split(0, FeeSplit.Default, _recipients, [new DataShare(Addresses.Of(1), DataShare.Whole)]));
    }
}
