using System.Globalization;
using System.Numerics;
using OpenLedger.Economy;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Fees;
using OpenLedger.Grains.Economy;

namespace OpenLedger.Cluster.Tests;

/// <summary>
/// The earnings grain's log in Blob storage (Azurite): what it acknowledged survives a restart of every silo, a second
/// delivery changes nothing, and a refused event is neither applied nor stored.
/// </summary>
[Collection(EconomyGridCollection.Name)]
public sealed class EarningsLogTests(EconomyGrid grid)
{
    [Fact]
    public async Task Acknowledged_events_survive_a_restart_and_refused_ones_leave_no_trace()
    {
        var random = new Random(5);
        var tag = random.Next(0x1000, 0xffff).ToString("x4", CultureInfo.InvariantCulture);
        var accounts = Enumerable.Range(1, 6).Select(i => $"0x{tag}{i.ToString("x36", CultureInfo.InvariantCulture)}").ToList();
        var events = Enumerable.Range(0, 40).Select(i => Charge(random, $"inf-log-{tag}-{i}", accounts)).ToList();
        foreach (var e in events.Concat(events.Take(5)))
        {
            await Feed.Record(EarningsEventJson.Write(e));
        }
        var before = await SnapshotAsync(accounts);

        // Malformed, conflicting and fee-breaking events are refused by name, and change nothing.
        var conflicting = events[3] with { FeeWei = "1", Accruals = [new EarningsAccrual(Account.Zero, AccrualRole.Burn, "1")] };
        var unbalanced = Charge(random, $"inf-log-{tag}-bad", accounts) with { FeeWei = "999" };
        foreach (var (line, expected) in new[]
        {
            ("{\"type\":\"charged\",\"inferenceId\":", "is not an earnings event"),
            (EarningsEventJson.Write(conflicting), "was already applied with different content"),
            (EarningsEventJson.Write(unbalanced), "not applied"),
        })
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => Feed.Record(line));
            Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        }
        Assert.Equal(before, await SnapshotAsync(accounts));

        await grid.RestartAsync();

        Assert.Equal(before, await SnapshotAsync(accounts));
    }

    private IEarningsFeedGrain Feed => grid.Cluster.Client.GetGrain<IEarningsFeedGrain>(IEarningsGrain.Key);

    private async Task<string> SnapshotAsync(IReadOnlyList<string> accounts)
    {
        var earnings = grid.Cluster.Client.GetGrain<IEarningsGrain>(IEarningsGrain.Key);
        var status = await earnings.Status();
        var views = await Task.WhenAll(accounts.Select(earnings.Account));
        var histories = await Task.WhenAll(accounts.Select(earnings.History));
        return $"{status.Inferences}/{status.AccrualRows}|" + string.Join(";", views.Select(v => v.ToString()))
            + "|" + string.Join(";", histories.SelectMany(h => h).Select(h => h.ToString()));
    }

    private static InferenceCharged Charge(Random random, string inferenceId, IReadOnlyList<string> accounts)
    {
        var fee = new BigInteger(random.NextInt64(1_000, 1_000_000_000_000));
        var burn = fee / 10;
        var rest = fee - burn;
        var first = accounts[random.Next(accounts.Count)];
        var second = accounts[random.Next(accounts.Count)];
        var half = rest / 2;
        return new InferenceCharged(inferenceId, 900 + random.Next(3), DateTimeOffset.UnixEpoch.AddSeconds(random.Next(1_000_000)),
            null, "model-log", null, fee.ToString(CultureInfo.InvariantCulture),
            [
                new EarningsAccrual(Account.Zero, AccrualRole.Burn, burn.ToString(CultureInfo.InvariantCulture)),
                new EarningsAccrual(first, AccrualRole.DataContributor, half.ToString(CultureInfo.InvariantCulture), "dn-log"),
                new EarningsAccrual(second, AccrualRole.ModelDeveloper, (rest - half).ToString(CultureInfo.InvariantCulture)),
            ]);
    }
}
