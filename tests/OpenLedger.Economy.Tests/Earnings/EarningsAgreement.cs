using OpenLedger.Economy.Earnings;

namespace OpenLedger.Economy.Tests.Earnings;

/// <summary>Asks the index and the brute-force reference every query of a workload and compares the answers.</summary>
internal static class EarningsAgreement
{
    private const int PageSize = 7;

    public static void AssertMatches(EarningsIndex index, EarningsReference reference, int lastEpoch)
    {
        var epochs = Enumerable.Range(1, lastEpoch + 1).Select(e => (long)e).ToList();
        foreach (var account in EarningsWorkload.Accounts)
        {
            Assert.Equal(reference.Account(account), index.Account(account));
            Assert.Equal(reference.History(account), index.History(account));
            foreach (var epoch in epochs)
            {
                Assert.Equal(reference.Account(account, epoch), index.Account(account, epoch));
                Assert.Equal(reference.Behind(account, epoch), AllPages(index, account, epoch));
            }
        }
        foreach (var (dimension, key) in EarningsWorkload.Keys)
        {
            Assert.Equal(reference.Totals(dimension, key, null), index.Totals(dimension, key));
            foreach (var epoch in epochs)
            {
                Assert.Equal(reference.Totals(dimension, key, epoch), index.Totals(dimension, key, epoch));
            }
        }
        foreach (var epoch in epochs)
        {
            Assert.Equal(reference.Epoch(epoch), index.Epoch(epoch));
        }
        foreach (var datanet in EarningsWorkload.Datanets)
        {
            Assert.Equal(reference.TopContributors(datanet, 5), index.TopContributors(datanet, 5));
            Assert.Equal(reference.TopContributors(datanet, 1_000), index.TopContributors(datanet, 1_000));
        }
    }

    /// <summary>Every answer the index gives about the workload's keys, as text: equal snapshots mean an unchanged index.</summary>
    public static IReadOnlyList<string> Snapshot(EarningsIndex index, int lastEpoch)
    {
        var lines = new List<string> { $"inferences {index.Inferences}", $"accounts {index.Accounts}" };
        var epochs = Enumerable.Range(1, lastEpoch + 1).Select(e => (long)e).ToList();
        foreach (var account in EarningsWorkload.Accounts)
        {
            lines.Add(index.Account(account).ToString());
            lines.AddRange(index.History(account).Select(h => h.ToString()));
            foreach (var epoch in epochs)
            {
                lines.AddRange(AllPages(index, account, epoch));
            }
        }
        foreach (var (dimension, key) in EarningsWorkload.Keys)
        {
            lines.Add(index.Totals(dimension, key).ToString());
            lines.AddRange(epochs.Select(e => index.Totals(dimension, key, e).ToString()));
        }
        lines.AddRange(index.Epochs().Select(e => e.ToString()));
        lines.AddRange(EarningsWorkload.Datanets.SelectMany(d => index.TopContributors(d, 1_000)).Select(r => r.ToString()));
        return lines;
    }

    /// <summary>Reads the lines behind an account's epoch page by page, checking each page's total.</summary>
    private static List<string> AllPages(EarningsIndex index, string account, long epoch)
    {
        var lines = new List<string>();
        while (true)
        {
            var page = index.Behind(account, epoch, lines.Count, PageSize);
            Assert.True(page.Lines.Count <= PageSize);
            lines.AddRange(page.Lines.Select(l => EarningsReference.Render(l.InferenceId, l.At, l.Agent, l.ModelId, l.AdapterId, l.Role, l.Wei, l.DatanetId, l.ContributionIds)));
            if (page.Lines.Count < PageSize)
            {
                Assert.Equal(page.Total, lines.Count);
                return lines;
            }
        }
    }
}
