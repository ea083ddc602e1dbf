namespace OpenLedger.Cluster.Tests;

/// <summary>
/// The load bench's driver as a long test (`./openledger test --long`): a mixed workload (inference over HTTP from
/// several agents, signed contributions and reads through the SDK, earnings and grid reads over HTTP) in closed loops,
/// then with inference offered at several times what the silo sustains. Only invariants are asserted, never timings:
/// every call is served or refused with a typed 429 <c>server_overloaded</c>, nothing else (no 5xx, no timeout); the
/// silo held at most its bound, counted the refusals the clients saw and holds nothing after; every agent is charged
/// exactly its answered calls to the wei; every accepted contribution is stored.
/// </summary>
[Trait("Category", "Long")]
public sealed class MixedLoadTests
{
    private const int Agents = 4;
    private const int MaxQueuedRequests = 16;

    [Fact]
    public async Task Under_mixed_load_and_overload_nothing_accepted_is_lost_and_every_refusal_is_typed()
    {
        var operatorKey = "load-operator-" + Guid.NewGuid().ToString("N");
        await using var stack = LoadDriver.Stack(Agents, operatorKey, MaxQueuedRequests);
        await stack.StartAsync();
        await using var driver = await LoadDriver.PrepareAsync(stack, Agents, operatorKey);

        var capacity = await driver.RunAsync(new LoadShape("capacity", TimeSpan.FromSeconds(10), null, null, null, (MaxQueuedRequests, 2, 2)));
        var served = capacity[LoadDriver.Kinds[0]].Served / driver.Phases[^1].Seconds;
        Assert.True(served > 0, "The silo served no inference in closed loops.");
        var overload = await driver.RunAsync(new LoadShape("overload", TimeSpan.FromSeconds(15), served * 5, 5, 10));

        foreach (var (shape, kinds, _) in driver.Phases)
        {
            foreach (var (kind, tally) in kinds)
            {
                Assert.True(tally.Failed == 0, $"{shape.Name}, {kind}: {string.Join(", ", tally.Errors.Select(e => $"{e.Key} x{e.Value}"))}");
                Assert.True(tally.Served > 0, $"{shape.Name}, {kind}: nothing was served.");
                Assert.All(tally.RefusalWaits, wait => Assert.True(wait >= 1, "A refusal for the silo's bound says when to come back."));
            }
        }
        Assert.True(overload[LoadDriver.Kinds[0]].Refused > 0, "Inference offered at five times what the silo sustains was never refused.");

        var check = await driver.CheckAsync();
        Assert.Equal(MaxQueuedRequests, check.Bound);
        Assert.InRange(check.Peak, 1, MaxQueuedRequests);
        Assert.Equal(0, check.HeldAfter);
        Assert.Equal(driver.Phases.Sum(p => p.Kinds.Values.Sum(k => k.Refused)), check.RefusalsCounted);
        Assert.Empty(check.ChargeMismatches);
        Assert.Equal(check.ContributionsAccepted, check.ContributionsStored);
    }
}
