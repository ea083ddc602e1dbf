using System.Numerics;
using OpenLedger.Datanets;

namespace OpenLedger.Chain.Tests;

/// <summary>The fee split changes only through a proposal that gOPEN holders pass and the Timelock executes.</summary>
[Collection(ChainCollection.Name)]
public sealed class GovernanceTests(ChainFixture chain)
{
    private const uint VotingDelay = 10;
    private const uint VotingPeriod = 100;
    private const long TimelockDelay = 60;

    [Fact]
    public async Task A_passed_proposal_changes_the_fee_split_through_the_timelock_and_nobody_else_can()
    {
        var deployer = chain.Deployer;
        var open = ChainFixture.Open;
        var token = await chain.DeployAsync("OpenToken", deployer, deployer.Address);
        var votes = await chain.DeployAsync("OpenVotes", deployer, token.Address);
        Assert.Equal("mode=timestamp", await votes.CallAsync<string>("CLOCK_MODE"));
        // Quorum is 25% of all OPEN, so the holder wraps more than a quarter of the supply to pass anything alone.
        await token.SendOkAsync(deployer, "approve", votes.Address, 300_000_000 * open);
        await votes.SendOkAsync(deployer, "depositFor", deployer.Address, 300_000_000 * open);
        await votes.SendOkAsync(deployer, "delegate", deployer.Address);

        // Timelock first (deployer as temporary admin), governor, then the timelock's roles handed over for good.
        var timelock = await chain.DeployAsync("TimelockController", deployer, new BigInteger(TimelockDelay), new List<string>(), new List<string> { "0x0000000000000000000000000000000000000000" }, deployer.Address);
        var governor = await chain.DeployAsync("OpenGovernor", deployer, votes.Address, timelock.Address, (ulong)VotingDelay, VotingPeriod, 100 * open, new BigInteger(25));
        await timelock.SendOkAsync(deployer, "grantRole", await timelock.CallAsync<byte[]>("PROPOSER_ROLE"), governor.Address);
        await timelock.SendOkAsync(deployer, "grantRole", await timelock.CallAsync<byte[]>("CANCELLER_ROLE"), governor.Address);
        await timelock.SendOkAsync(deployer, "renounceRole", await timelock.CallAsync<byte[]>("DEFAULT_ADMIN_ROLE"), deployer.Address);
        Assert.Equal(100 * open, await governor.CallAsync<BigInteger>("proposalThreshold"));
        Assert.Equal(24 * 3600, (int)await governor.CallAsync<BigInteger>("DEFAULT_VOTING_DELAY"));
        Assert.Equal(14 * 24 * 3600, (int)await governor.CallAsync<BigInteger>("DEFAULT_VOTING_PERIOD"));

        var feeSplit = await chain.DeployAsync("FeeSplit", deployer, timelock.Address);
        var registry = await chain.DeployAsync("Registry", deployer, timelock.Address);
        Assert.Equal(new List<int> { 500, 1000, 3500, 5000 }, await SplitAsync(feeSplit));
        // Nobody but the timelock changes the split: not the deployer, not a big holder.
        await feeSplit.SendRevertsAsync(deployer, "setSplit", (ushort)0, (ushort)0, (ushort)5000, (ushort)5000);
        await feeSplit.SendRevertsAsync(chain.Others[0].Account, "setSplit", (ushort)0, (ushort)0, (ushort)5000, (ushort)5000);

        // One proposal: a new split, and an anchor role granted on the registry the timelock administers.
        var anchorer = chain.Others[1].Account.Address;
        var anchorRole = await registry.CallAsync<byte[]>("ANCHOR_ROLE");
        var targets = new List<string> { feeSplit.Address, registry.Address };
        var values = new List<BigInteger> { 0, 0 };
        var calldatas = new List<byte[]>
        {
            ChainFixture.Calldata(feeSplit, "setSplit", (ushort)1000, (ushort)1000, (ushort)3000, (ushort)5000),
            ChainFixture.Calldata(registry, "grantRole", anchorRole, anchorer),
        };
        const string description = "Burn 10%, model developers 30%; anchor role for the settlement key";
        var descriptionHash = Keccak.Hash(System.Text.Encoding.UTF8.GetBytes(description));

        await chain.IncreaseTimeAsync(1); // votes are read at clock() - 1
        await governor.SendRevertsAsync(chain.Others[0].Account, "propose", targets, values, calldatas, description); // below threshold
        await governor.SendOkAsync(deployer, "propose", targets, values, calldatas, description);
        var proposalId = await governor.CallAsync<BigInteger>("hashProposal", targets, values, calldatas, descriptionHash);
        Assert.Equal(0, await StateAsync(governor, proposalId)); // Pending
        Assert.Equal(250_000_000 * open, await governor.CallAsync<BigInteger>("quorum", await chain.NowAsync())); // of OPEN, not gOPEN

        await chain.IncreaseTimeAsync(VotingDelay + 1);
        Assert.Equal(1, await StateAsync(governor, proposalId)); // Active
        await governor.SendOkAsync(deployer, "castVote", proposalId, (byte)1);
        await governor.SendRevertsAsync(deployer, "queue", targets, values, calldatas, descriptionHash); // still voting

        await chain.IncreaseTimeAsync(VotingPeriod + 1);
        Assert.Equal(4, await StateAsync(governor, proposalId)); // Succeeded
        await governor.SendOkAsync(deployer, "queue", targets, values, calldatas, descriptionHash);
        Assert.Equal(5, await StateAsync(governor, proposalId)); // Queued
        await governor.SendRevertsAsync(deployer, "execute", targets, values, calldatas, descriptionHash); // timelock delay

        await chain.IncreaseTimeAsync(TimelockDelay + 1);
        await governor.SendOkAsync(chain.Others[2].Account, "execute", targets, values, calldatas, descriptionHash);
        Assert.Equal(7, await StateAsync(governor, proposalId)); // Executed
        Assert.Equal(new List<int> { 1000, 1000, 3000, 5000 }, await SplitAsync(feeSplit));
        Assert.True(await registry.CallAsync<bool>("hasRole", anchorRole, anchorer));
    }

    private static async Task<int> StateAsync(Deployed governor, BigInteger proposalId) =>
        (int)await governor.CallAsync<byte>("state", proposalId);

    private static async Task<List<int>> SplitAsync(Deployed feeSplit) =>
    [
        (int)await feeSplit.CallAsync<ushort>("burnBps"),
        (int)await feeSplit.CallAsync<ushort>("protocolBps"),
        (int)await feeSplit.CallAsync<ushort>("modelDeveloperBps"),
        (int)await feeSplit.CallAsync<ushort>("dataContributorsBps"),
    ];
}
