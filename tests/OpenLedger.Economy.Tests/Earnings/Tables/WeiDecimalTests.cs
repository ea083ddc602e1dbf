using System.Globalization;
using System.Numerics;
using Apache.Arrow;
using OpenLedger.Economy.Earnings.Tables;

namespace OpenLedger.Economy.Tests.Earnings.Tables;

public class WeiDecimalTests
{
    /// <summary>Amounts around every boundary a shortcut could trip on: 2^63, 2^64, decimal's 28-29 digits, 38 digits.</summary>
    public static TheoryData<string> Amounts => new()
    {
        "0",
        "1",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "18446744073709551617",
        "79228162514264337593543950335",
        "79228162514264337593543950336",
        "1000000000000000000000000000",
        "123456789012345678901234567890123456",
        "99999999999999999999999999999999999999",
        "-1",
        "-18446744073709551617",
        "-99999999999999999999999999999999999999",
    };

    [Theory]
    [MemberData(nameof(Amounts))]
    public void An_amount_is_written_as_the_bytes_an_independent_reading_and_arrow_itself_turn_back_into_it(string text)
    {
        var amount = BigInteger.Parse(text, CultureInfo.InvariantCulture);
        var bytes = new byte[WeiDecimal.ByteWidth];

        Assert.True(WeiDecimal.TryWrite(amount, bytes));

        Assert.Equal(amount, ByteWiseDecimal.Read(bytes));
        Assert.Equal(amount, WeiDecimal.Read(bytes));
        var column = new Decimal128Array(new ArrayData(WeiDecimal.Type, 1, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(bytes)]));
        Assert.Equal(text, column.GetString(0));
    }

    [Theory]
    [InlineData("100000000000000000000000000000000000000")]
    [InlineData("-100000000000000000000000000000000000000")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public void An_amount_of_more_than_38_digits_is_not_written(string text)
    {
        var bytes = new byte[WeiDecimal.ByteWidth];

        Assert.False(WeiDecimal.TryWrite(BigInteger.Parse(text, CultureInfo.InvariantCulture), bytes));

        Assert.All(bytes, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Random_amounts_up_to_38_digits_round_trip_through_both_readings()
    {
        var random = new Random(38);
        var bytes = new byte[WeiDecimal.ByteWidth];
        for (var i = 0; i < 2_000; i++)
        {
            var digits = random.Next(1, WeiDecimal.Precision + 1);
            var text = string.Concat(Enumerable.Range(0, digits).Select(d => (char)('0' + (d == 0 ? random.Next(1, 10) : random.Next(10)))));
            var amount = BigInteger.Parse(text, CultureInfo.InvariantCulture) * (random.Next(4) == 0 ? -1 : 1);

            Assert.True(WeiDecimal.TryWrite(amount, bytes));

            Assert.Equal(amount, ByteWiseDecimal.Read(bytes));
            Assert.Equal(amount, WeiDecimal.Read(bytes));
        }
    }
}
