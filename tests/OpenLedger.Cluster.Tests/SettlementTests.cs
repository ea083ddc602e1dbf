using System.Globalization;
using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using OpenLedger.Client.Chain;
using OpenLedger.Economy;
using OpenLedger.Economy.Chain;
using OpenLedger.Economy.Epochs;
using OpenLedger.Economy.Fees;
using OpenLedger.Grains.Economy;

namespace OpenLedger.Cluster.Tests;

/// <summary>
/// Epochs from the ledger shards to the chain: what the chain ends up holding is checked against sums computed here
/// from the charges themselves, to the wei, including after the settlement path is killed at each step.
/// </summary>
[Collection(EconomyGridCollection.Name)]
public sealed class SettlementTests(EconomyGrid grid)
{
    private static readonly string[] _contributors = [.. Enumerable.Range(1, 12).Select(i => "0x" + (0xc0000 + i).ToString("x40", CultureInfo.InvariantCulture))];
    private const string Developer = "0x00000000000000000000000000000000000de7e1";

    [Fact]
    public async Task An_epoch_posts_once_burns_its_burn_and_pays_claims_exactly_what_the_ledger_accrued()
    {
        var before = await ChainStateAsync();
        var charges = await ChargeAsync(300, seed: 11);

        var summary = await Settlement.CloseEpoch();

        Assert.Equal(EpochStage.Anchored, summary.Stage);
        var expected = Expected(charges);
        Assert.Equal(expected.Fees.ToString(CultureInfo.InvariantCulture), summary.DebitedWei);
        Assert.Equal(expected.Burn.ToString(CultureInfo.InvariantCulture), summary.BurnWei);
        Assert.Equal(expected.Fees - expected.Burn, BigInteger.Parse(summary.TotalWei, CultureInfo.InvariantCulture));
        await AssertChainMatchesAsync(before, expected, summary.EpochId);

        // A contributor claims with the proof the grid serves and receives exactly its cumulative accrual.
        var contributor = expected.Accrued.Keys.First(a => _contributors.Contains(a));
        var claim = (await Settlement.ClaimOf(contributor))!;
        var paidBefore = await grid.CallAsync<BigInteger>("AttributionDistributor", grid.Contracts.Distributor, "claimed", contributor);
        var owed = BigInteger.Parse(claim.CumulativeWei, CultureInfo.InvariantCulture) - paidBefore;
        await grid.SendAsync(grid.Agents[0], "AttributionDistributor", grid.Contracts.Distributor, "claim",
            contributor, BigInteger.Parse(claim.CumulativeWei, CultureInfo.InvariantCulture), claim.Proof.Select(p => p.HexToByteArray()).ToList());
        Assert.True(owed > 0);
        Assert.Equal(BigInteger.Parse(claim.CumulativeWei, CultureInfo.InvariantCulture),
            await grid.CallAsync<BigInteger>("OpenToken", grid.Contracts.Token, "balanceOf", contributor));

        // Every charged record is in the batch whose root the registry anchored for this epoch.
        var inference = charges[17].InferenceId;
        var inclusion = await Settlement.Inclusion(summary.EpochId, inference);
        Assert.Equal(charges[17].RecordHash, inclusion.RecordHash);
        Assert.True(AttributionBatch.Verify(inclusion.Root.HexToByteArray(), inference, inclusion.RecordHash, inclusion.Proof.Select(p => p.HexToByteArray())));
        Assert.False(AttributionBatch.Verify(inclusion.Root.HexToByteArray(), inference, charges[18].RecordHash, inclusion.Proof.Select(p => p.HexToByteArray())));
        Assert.True(await grid.CallAsync<bool>("Registry", grid.Contracts.Registry, "isAnchored",
            EconomyAbi.AttributionBatchKind, SettlementCalls.BatchId(summary.EpochId), inclusion.Root.HexToByteArray()));
    }

    [Fact]
    public async Task A_charge_sent_again_after_its_epoch_went_on_chain_returns_that_epoch_and_charges_nothing()
    {
        var charges = await ChargeAsync(3, seed: 23);
        var posted = await Settlement.CloseEpoch();
        Assert.Equal(EpochStage.Anchored, posted.Stage);

        // The epoch is released from every shard; a caller that never heard its charge landed sends it again.
        var repeat = charges[1];
        Assert.Equal(posted.EpochId, await grid.Cluster.Client.GetGrain<ILedgerShardGrain>(0).ChargeAgain(repeat));
        Assert.Equal(posted.EpochId, await grid.Cluster.Client.GetGrain<ILedgerShardGrain>(3).ChargeAgain(repeat));

        var next = await Settlement.CloseEpoch();
        Assert.Equal(posted.EpochId + 1, next.EpochId);
        Assert.Equal((0, "0"), (next.Inferences, next.DebitedWei));
    }

    [Theory]
    [InlineData(SettlementFaults.BeforeSend, "settle")]
    [InlineData(SettlementFaults.AfterSend, "settle")]
    [InlineData(SettlementFaults.AfterReceipt, "settle")]
    [InlineData(SettlementFaults.BeforeStageWrite, "settle")]
    [InlineData(SettlementFaults.BeforeSend, "post")]
    [InlineData(SettlementFaults.AfterSend, "post")]
    [InlineData(SettlementFaults.AfterReceipt, "post")]
    [InlineData(SettlementFaults.BeforeStageWrite, "post")]
    [InlineData(SettlementFaults.BeforeSend, "anchor")]
    [InlineData(SettlementFaults.AfterSend, "anchor")]
    [InlineData(SettlementFaults.AfterReceipt, "anchor")]
    [InlineData(SettlementFaults.BeforeStageWrite, "anchor")]
    public async Task A_crash_at_any_step_resumes_to_each_epoch_exactly_once_and_to_the_wei(string point, string step)
    {
        var before = await ChainStateAsync();
        var charges = await ChargeAsync(40, seed: point.GetHashCode(StringComparison.Ordinal) ^ step.Length);
        var epochId = before.LastEpoch + 1;

        EconomyGrid.Faults.Arm(point, $"{step}-{epochId}");
        await Assert.ThrowsAnyAsync<Exception>(() => Settlement.CloseEpoch());
        await grid.RestartAsync();

        var resumed = await Settlement.Resume();
        Assert.Equal(epochId, Assert.Single(resumed).EpochId);
        Assert.Equal(EpochStage.Anchored, resumed[0].Stage);
        await AssertChainMatchesAsync(before, Expected(charges), epochId);
        Assert.Equal(BigInteger.One, await grid.CallAsync<BigInteger>("Registry", grid.Contracts.Registry, "anchorCount",
            EconomyAbi.AttributionBatchKind, SettlementCalls.BatchId(epochId)));

        // The next epoch follows with the next number: nothing skipped, nothing posted twice.
        var next = await Settlement.CloseEpoch();
        Assert.Equal(epochId + 1, next.EpochId);
        Assert.Equal((ulong)(epochId + 1), await grid.CallAsync<ulong>("AttributionDistributor", grid.Contracts.Distributor, "lastEpoch"));
    }

    private ISettlementGrain Settlement => grid.Cluster.Client.GetGrain<ISettlementGrain>(ISettlementGrain.Key);

    private async Task<List<InferenceCharge>> ChargeAsync(int count, int seed)
    {
        var random = new Random(seed);
        var charges = new List<InferenceCharge>();
        for (var i = 0; i < count; i++)
        {
            var agent = grid.Agents[random.Next(grid.Agents.Count)].Address.ToLowerInvariant();
            var fee = new BigInteger(random.NextInt64(0, 5_000_000_000_000_000));
            var picked = _contributors.OrderBy(_ => random.Next()).Take(random.Next(0, 4)).ToList();
            var weights = picked.Select(_ => (long)random.Next(1, 1000)).ToList();
            var parts = FeeSplitter.LargestRemainder(DataShare.Whole, weights, weights.Sum());
            var shares = picked.Select((c, k) => new DataShare(c, (long)parts[k])).Where(s => s.PartsPerBillion > 0).ToList();
            var accruals = FeeSplitter.Split(fee, FeeSplit.Default, new FeeRecipients(grid.Contracts.Treasury, Developer), shares);
            var hash = new byte[32];
            random.NextBytes(hash);
            var charge = new InferenceCharge($"inf-test-{Guid.NewGuid():N}", agent, fee.ToString(CultureInfo.InvariantCulture),
                [.. accruals.Select(a => new ChargeAccrual(a.Recipient, a.Role.ToString(), a.Wei.ToString(CultureInfo.InvariantCulture)))],
                "0x" + Convert.ToHexStringLower(hash));
            await grid.Cluster.Client.GetGrain<ILedgerShardGrain>(random.Next(4)).Charge(charge);
            charges.Add(charge);
        }
        return charges;
    }

    private static (BigInteger Fees, BigInteger Burn, Dictionary<string, BigInteger> Debits, Dictionary<string, BigInteger> Accrued) Expected(IEnumerable<InferenceCharge> charges)
    {
        var debits = new Dictionary<string, BigInteger>();
        var accrued = new Dictionary<string, BigInteger>();
        BigInteger fees = 0, burn = 0;
        foreach (var charge in charges)
        {
            var fee = BigInteger.Parse(charge.FeeWei, CultureInfo.InvariantCulture);
            fees += fee;
            debits[charge.Agent!] = debits.GetValueOrDefault(charge.Agent!) + fee;
            foreach (var accrual in charge.Accruals)
            {
                var wei = BigInteger.Parse(accrual.Wei, CultureInfo.InvariantCulture);
                if (accrual.Role == nameof(AccrualRole.Burn))
                {
                    burn += wei;
                }
                else
                {
                    accrued[accrual.Recipient] = accrued.GetValueOrDefault(accrual.Recipient) + wei;
                }
            }
        }
        return (fees, burn, debits, accrued);
    }

    private sealed record ChainState(long LastEpoch, long LastSettled, BigInteger Supply, BigInteger DistributorBalance, Dictionary<string, BigInteger> Deposits);

    private async Task<ChainState> ChainStateAsync()
    {
        var deposits = new Dictionary<string, BigInteger>();
        foreach (var agent in grid.Agents)
        {
            deposits[agent.Address.ToLowerInvariant()] = await grid.CallAsync<BigInteger>("FeeVault", grid.Contracts.FeeVault, "balanceOf", agent.Address);
        }
        return new ChainState(
            (long)await grid.CallAsync<ulong>("AttributionDistributor", grid.Contracts.Distributor, "lastEpoch"),
            (long)await grid.CallAsync<ulong>("FeeVault", grid.Contracts.FeeVault, "lastSettledEpoch"),
            await grid.CallAsync<BigInteger>("OpenToken", grid.Contracts.Token, "totalSupply"),
            await grid.CallAsync<BigInteger>("OpenToken", grid.Contracts.Token, "balanceOf", grid.Contracts.Distributor),
            deposits);
    }

    private async Task AssertChainMatchesAsync(ChainState before, (BigInteger Fees, BigInteger Burn, Dictionary<string, BigInteger> Debits, Dictionary<string, BigInteger> Accrued) expected, long epochId)
    {
        var after = await ChainStateAsync();
        Assert.Equal(epochId, after.LastEpoch);
        Assert.Equal(epochId, after.LastSettled);
        Assert.Equal(before.Supply - expected.Burn, after.Supply);
        Assert.Equal(before.DistributorBalance + expected.Fees - expected.Burn, after.DistributorBalance);
        foreach (var (agent, deposit) in before.Deposits)
        {
            Assert.Equal(deposit - expected.Debits.GetValueOrDefault(agent), after.Deposits[agent]);
        }
    }
}
