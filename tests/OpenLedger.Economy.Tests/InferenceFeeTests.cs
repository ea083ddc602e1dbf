using System.Numerics;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Tests;

public class InferenceFeeTests
{
    [Theory]
    [InlineData(1_000, "5000000000000000", "5000000000000000")] // exactly one price unit
    [InlineData(2_000, "7", "14")] // exact multiple
    [InlineData(1_500, "3", "5")] // 4.5 wei rounds up
    [InlineData(1, "1", "1")] // a priced inference is never free
    [InlineData(999, "1000", "999")] // one wei per token
    [InlineData(1_001, "1000", "1001")]
    [InlineData(0, "123456789", "0")]
    [InlineData(12_345, "0", "0")]
    [InlineData(1_234, "1000000000000000001", "1234000000000000002")] // 1234.000000000000001234e15 rounds up
    public void Fee_is_tokens_times_price_per_thousand_rounded_up(long tokens, string price, string expected)
    {
        Assert.Equal(BigInteger.Parse(expected), InferenceFee.Compute(tokens, BigInteger.Parse(price)));
    }

    [Fact]
    public void Fee_never_falls_below_the_exact_price_nor_exceeds_it_by_a_wei()
    {
        var random = new Random(6);
        for (var i = 0; i < 2_000; i++)
        {
            var tokens = random.NextInt64(0, 1_000_000);
            var price = new BigInteger(random.NextInt64(0, long.MaxValue)) * random.Next(1, 1_000_000);
            var fee = InferenceFee.Compute(tokens, price);
            Assert.True(fee * 1_000 >= tokens * price);
            Assert.True((fee - 1) * 1_000 < tokens * price || fee.IsZero);
        }
    }

    [Fact]
    public void Negative_tokens_or_price_and_overflow_are_rejected()
    {
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => InferenceFee.Compute(-1, 5)).Message, StringComparison.Ordinal);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => InferenceFee.Compute(1, -5)).Message, StringComparison.Ordinal);
        Assert.Contains("uint256", Assert.Throws<ArgumentException>(() => InferenceFee.Compute(2_000, Wei.MaxUInt256)).Message, StringComparison.Ordinal);
        Assert.Equal(Wei.MaxUInt256, InferenceFee.Compute(1_000, Wei.MaxUInt256));
    }
}
