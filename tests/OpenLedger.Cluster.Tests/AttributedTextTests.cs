using OpenLedger.Attribution;
using OpenLedger.Client;

namespace OpenLedger.Cluster.Tests;

/// <summary>How the SDK writes shares for people and cuts answers at their verbatim spans (pure functions, no grid).</summary>
public sealed class AttributedTextTests
{
    [Theory]
    [InlineData(375_000_000L, "37.5000%")]
    [InlineData(1_000_000_000L, "100.0000%")]
    [InlineData(0L, "0.0000%")]
    [InlineData(1L, "0.0000%")]
    [InlineData(499L, "0.0000%")]
    [InlineData(500L, "0.0001%")]
    [InlineData(333_333_333L, "33.3333%")]
    [InlineData(666_666_667L, "66.6667%")]
    [InlineData(999_999_500L, "100.0000%")]
    [InlineData(-375_000_000L, "-37.5000%")]
    [InlineData(-1L, "0.0000%")]
    public void Percentages_come_from_integer_parts_per_billion(long ppb, string expected) =>
        Assert.Equal(expected, Shares.Percent(ppb));

    [Fact]
    public void Percentages_take_zero_to_seven_decimals_exactly()
    {
        Assert.Equal("12.3456789%", Shares.Percent(123_456_789, 7));
        Assert.Equal("38%", Shares.Percent(375_000_000, 0));
        Assert.Equal("37%", Shares.Percent(374_999_999, 0));
        Assert.Equal("922337203685.4775807%", Shares.Percent(long.MaxValue, 7));
        Assert.Equal("-922337203685.4775808%", Shares.Percent(long.MinValue, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => Shares.Percent(1, 8));
    }

    [Fact]
    public void Segments_join_back_to_the_answer_and_mark_each_span()
    {
        const string output = "the quick brown fox jumps";
        var segments = AttributedText.Segments(output, [At(4, 9, "quick"), At(16, 19, "fox")]);
        Assert.Equal(output, string.Concat(segments.Select(s => s.Text)));
        Assert.Equal(Expect(("the ", null), ("quick", 0), (" brown ", null), ("fox", 1), (" jumps", null)), segments);
    }

    [Fact]
    public void Overlapping_spans_give_the_overlap_to_the_first_and_nested_ones_disappear()
    {
        const string output = "abcdefghijklmnop";
        var segments = AttributedText.Segments(output, [At(4, 12, "efghijkl"), At(0, 8, "abcdefgh"), At(1, 3, "bc")]);
        Assert.Equal(Expect(("abcdefgh", 1), ("ijkl", 0), ("mnop", null)), segments);
    }

    [Fact]
    public void A_span_whose_offsets_drifted_is_placed_at_its_text_nearest_them()
    {
        const string output = "ab ransomware cd ransomware ef";
        // The text sits at 17, one character before the offsets; another copy at 3 is further away.
        var segments = AttributedText.Segments(output, [At(18, 28, "ransomware")]);
        Assert.Equal(Expect(("ab ransomware cd ", null), ("ransomware", 0), (" ef", null)), segments);
    }

    [Fact]
    public void Spans_that_fit_nowhere_are_left_out()
    {
        const string output = "short";
        Assert.Equal(Expect(("short", null)), AttributedText.Segments(output, [At(3, 40, "not here"), At(-2, 1, "zz")]));
        // Offsets that fit are kept when the text is nowhere to be found.
        Assert.Equal(Expect(("sh", 0), ("ort", null)), AttributedText.Segments(output, [At(0, 2, "elsewhere")]));
        Assert.Empty(AttributedText.Segments("", [At(0, 2, "ab")]));
    }

    private static AttributedSpan At(int start, int end, string text) => new(start, end, text, 3, 1, 1.0, []);

    private static TextSegment[] Expect(params (string Text, int? Span)[] segments) => segments.Select(s => new TextSegment(s.Text, s.Span)).ToArray();
}
