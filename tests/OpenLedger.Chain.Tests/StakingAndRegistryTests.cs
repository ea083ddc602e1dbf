using System.Numerics;
using OpenLedger.Datanets;

namespace OpenLedger.Chain.Tests;

/// <summary>AgentStaking's cooldown and slashing split; Registry's ownership and anchors.</summary>
[Collection(ChainCollection.Name)]
public sealed class StakingAndRegistryTests(ChainFixture chain)
{
    private static readonly BigInteger _open = ChainFixture.Open;

    [Fact]
    public async Task Unstake_waits_the_cooldown_and_a_slash_pays_the_challenger_and_burns_the_rest()
    {
        const long cooldown = 7200;
        var deployer = chain.Deployer;
        var token = await chain.DeployAsync("OpenToken", deployer, deployer.Address);
        var staking = await chain.DeployAsync("AgentStaking", deployer, token.Address, deployer.Address, 100 * _open, (ulong)cooldown, (ushort)2000);
        var agent = chain.Others[0].Account;
        var challenger = chain.Others[1].Account;
        await token.SendOkAsync(deployer, "transfer", agent.Address, 500 * _open);
        await token.SendOkAsync(agent, "approve", staking.Address, 500 * _open);
        await staking.SendOkAsync(agent, "stake", 300 * _open);
        Assert.Equal(300 * _open, await staking.CallAsync<BigInteger>("stakeOf", agent.Address));
        Assert.Equal(100 * _open, await staking.CallAsync<BigInteger>("minimumStake"));
        Assert.True(await staking.CallAsync<bool>("isEligible", agent.Address));

        await staking.SendRevertsAsync(agent, "requestUnstake", 301 * _open);
        await staking.SendOkAsync(agent, "requestUnstake", 250 * _open);
        Assert.False(await staking.CallAsync<bool>("isEligible", agent.Address));
        await staking.SendRevertsAsync(agent, "withdraw");

        // Slashing: only the slasher; it reaches stake still cooling down; 20% to the challenger, 80% burned.
        var evidence = Keccak.Hash("bad answer"u8);
        await staking.SendRevertsAsync(challenger, "slash", agent.Address, 100 * _open, evidence, challenger.Address);
        await staking.SendOkAsync(deployer, "grantRole", await staking.CallAsync<byte[]>("SLASHER_ROLE"), deployer.Address);
        var supply = await token.CallAsync<BigInteger>("totalSupply");
        await staking.SendOkAsync(deployer, "slash", agent.Address, 100 * _open, evidence, challenger.Address);
        Assert.Equal(20 * _open, await token.CallAsync<BigInteger>("balanceOf", challenger.Address));
        Assert.Equal(supply - (80 * _open), await token.CallAsync<BigInteger>("totalSupply"));
        Assert.Equal(BigInteger.Zero, await staking.CallAsync<BigInteger>("stakeOf", agent.Address));
        await staking.SendRevertsAsync(deployer, "slash", agent.Address, 201 * _open, evidence, challenger.Address);

        await chain.IncreaseTimeAsync(cooldown + 1);
        var before = await token.CallAsync<BigInteger>("balanceOf", agent.Address);
        await staking.SendOkAsync(agent, "withdraw");
        Assert.Equal(before + (200 * _open), await token.CallAsync<BigInteger>("balanceOf", agent.Address));
        Assert.Equal(BigInteger.Zero, await token.CallAsync<BigInteger>("balanceOf", staking.Address));
        await staking.SendRevertsAsync(agent, "withdraw");
    }

    [Fact]
    public async Task Only_an_entry_owner_updates_it_and_anchors_need_the_owner_or_the_anchor_role()
    {
        var deployer = chain.Deployer;
        var registry = await chain.DeployAsync("Registry", deployer, deployer.Address);
        var owner = chain.Others[2].Account;
        var stranger = chain.Others[3].Account;
        var anchorer = chain.Others[4].Account;
        const byte datanet = 0;
        const byte attributionBatch = 4;
        var id = Keccak.Hash("datanet:medical"u8);
        var content = Keccak.Hash("v1"u8);

        await registry.SendOkAsync(owner, "register", datanet, id, content);
        await registry.SendRevertsAsync(stranger, "register", datanet, id, content);
        await registry.SendRevertsAsync(stranger, "update", datanet, id, Keccak.Hash("v2"u8));
        await registry.SendOkAsync(owner, "update", datanet, id, Keccak.Hash("v2"u8));

        var snapshotRoot = Keccak.Hash("snapshot-1"u8);
        await registry.SendRevertsAsync(stranger, "anchor", datanet, id, snapshotRoot);
        await registry.SendOkAsync(owner, "anchor", datanet, id, snapshotRoot);
        Assert.True(await registry.CallAsync<bool>("isAnchored", datanet, id, snapshotRoot));
        Assert.Equal(BigInteger.One, await registry.CallAsync<BigInteger>("anchorCount", datanet, id));

        // Attribution batches have no owner: only the anchor role anchors them.
        var epoch = new byte[32];
        epoch[31] = 1;
        var batchRoot = Keccak.Hash("attribution-batch-1"u8);
        await registry.SendRevertsAsync(anchorer, "anchor", attributionBatch, epoch, batchRoot);
        // Nobody can own one by registering it, and so nobody can anchor forged roots for it.
        await registry.SendRevertsAsync(stranger, "register", attributionBatch, epoch, content);
        await registry.SendRevertsAsync(stranger, "anchor", attributionBatch, epoch, batchRoot);
        await registry.SendRevertsAsync(stranger, "grantRole", await registry.CallAsync<byte[]>("ANCHOR_ROLE"), anchorer.Address);
        await registry.SendOkAsync(deployer, "grantRole", await registry.CallAsync<byte[]>("ANCHOR_ROLE"), anchorer.Address);
        await registry.SendOkAsync(anchorer, "anchor", attributionBatch, epoch, batchRoot);
        Assert.True(await registry.CallAsync<bool>("isAnchored", attributionBatch, epoch, batchRoot));
        Assert.False(await registry.CallAsync<bool>("isAnchored", attributionBatch, epoch, snapshotRoot));

        // Handing the entry over moves the right to update it.
        await registry.SendOkAsync(owner, "transferOwnership", datanet, id, stranger.Address);
        await registry.SendRevertsAsync(owner, "update", datanet, id, Keccak.Hash("v3"u8));
        await registry.SendOkAsync(stranger, "update", datanet, id, Keccak.Hash("v3"u8));
    }
}
