using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Tests;

public class FeeSplitTests
{
    [Fact]
    public void Defaults_are_the_documented_split()
    {
        var split = FeeSplit.Default;
        Assert.Equal(500, split.BurnBps);
        Assert.Equal(1_000, split.ProtocolBps);
        Assert.Equal(3_500, split.ModelDeveloperBps);
        Assert.Equal(5_000, split.DataContributorsBps);
    }

    [Theory]
    [InlineData(500, 1_000, 3_500, 4_999, "sum to 9999")]
    [InlineData(500, 1_000, 3_500, 5_001, "sum to 10001")]
    [InlineData(-1, 1_001, 3_500, 5_000, "burnBps is -1")]
    [InlineData(0, 0, 0, 10_001, "dataContributorsBps is 10001")]
    [InlineData(0, 10_001, -1, 0, "protocolBps is 10001")]
    public void A_split_that_is_not_whole_is_rejected_with_the_offending_value(int burn, int protocol, int developer, int data, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new FeeSplit(burn, protocol, developer, data));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Edge_splits_are_valid()
    {
        Assert.Equal(10_000, new FeeSplit(10_000, 0, 0, 0).BurnBps);
        Assert.Equal(10_000, new FeeSplit(0, 0, 0, 10_000).DataContributorsBps);
    }
}
