using OpenLedger.Attribution.Shares;
using OpenLedger.Attribution.Spans;

namespace OpenLedger.Attribution.Tests;

/// <summary>Shares from gradient and span evidence: exact, complete, order-independent, and the negative-influence rule.</summary>
public sealed class AttributionSharesTests
{
    [Fact]
    public void Evidence_is_combined_by_the_policy_and_shares_add_up_to_one_billion()
    {
        // Influence 3:1 between alice and bob (carol negative); spans all bob's. 70% x (3/4, 1/4) + 30% x (0, 1).
        var influence = new Dictionary<string, Int128> { ["0xalice"] = 300, ["0xbob"] = 100, ["0xcarol"] = -500 };
        var spans = new Dictionary<string, long> { ["0xbob"] = 42 };

        var shares = AttributionShares.Compute(influence, spans, SharePolicy.Default);

        Assert.Equal([new ContributorShare("0xalice", 525_000_000), new ContributorShare("0xbob", 475_000_000)], shares);
    }

    [Fact]
    public void Remainders_go_to_the_largest_fractions_and_ties_to_the_lower_address()
    {
        var thirds = new Dictionary<string, Int128> { ["0xc"] = 1, ["0xa"] = 1, ["0xb"] = 1 };
        var shares = AttributionShares.Compute(thirds, new Dictionary<string, long>(), SharePolicy.Default);
        Assert.Equal([new ContributorShare("0xa", 333_333_334), new ContributorShare("0xb", 333_333_333), new ContributorShare("0xc", 333_333_333)], shares);
        Assert.Equal(SharePolicy.Whole, shares.Sum(s => s.PartsPerBillion));
    }

    [Fact]
    public void Missing_evidence_shifts_the_whole_to_the_other_kind_and_none_attributes_to_nobody()
    {
        var spansOnly = AttributionShares.Compute(new Dictionary<string, Int128> { ["0xa"] = -7 }, new Dictionary<string, long> { ["0xa"] = 1, ["0xb"] = 3 }, SharePolicy.Default);
        Assert.Equal([new ContributorShare("0xa", 250_000_000), new ContributorShare("0xb", 750_000_000)], spansOnly);
        Assert.Empty(AttributionShares.Compute(new Dictionary<string, Int128> { ["0xa"] = -1 }, new Dictionary<string, long>(), SharePolicy.Default));
    }

    [Fact]
    public void Shares_do_not_depend_on_the_order_evidence_arrives_in()
    {
        var random = new Random(9);
        var influence = Enumerable.Range(0, 50).ToDictionary(i => $"0x{i:x3}", _ => (Int128)random.NextInt64(-1L << 40, 1L << 40));
        var spans = Enumerable.Range(0, 50).Where(i => i % 3 == 0).ToDictionary(i => $"0x{i:x3}", _ => random.NextInt64(1, 1L << 35));
        var expected = AttributionShares.Compute(influence, spans, SharePolicy.Default);
        var shuffled = AttributionShares.Compute(influence.OrderBy(_ => random.Next()).ToDictionary(), spans.OrderBy(_ => random.Next()).ToDictionary(), SharePolicy.Default);
        Assert.Equal(expected, shuffled);
        Assert.Equal(SharePolicy.Whole, expected.Sum(s => s.PartsPerBillion));
        Assert.All(expected, s => Assert.True(s.PartsPerBillion > 0));
    }

    [Fact]
    public void A_span_is_split_among_the_distinct_contributors_of_its_sources()
    {
        var span = new VerbatimSpan(0, 5, 3, 10.0, [new SpanSource(10, 0), new SpanSource(11, 4), new SpanSource(20, 2)]);
        string Owner(SpanSource s) => s.ExampleId == 11 ? "0xb" : "0xa";

        var evidence = AttributionShares.SpanEvidence([span], Owner);

        Assert.Equal(2, evidence.Count);
        Assert.Equal((long)(10.0 * (1L << 30)), evidence["0xa"] + evidence["0xb"]);
        Assert.InRange(evidence["0xa"] - evidence["0xb"], 0, 1);
        Assert.Throws<ArgumentException>(() => AttributionShares.Compute(new Dictionary<string, Int128>(), evidence, new SharePolicy(2 * SharePolicy.Whole)));
    }
}
