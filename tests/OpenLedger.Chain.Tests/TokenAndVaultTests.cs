using System.Numerics;

namespace OpenLedger.Chain.Tests;

/// <summary>OpenToken's fixed supply and permit; FeeVault's deposits, settlement debits and delayed withdrawals.</summary>
[Collection(ChainCollection.Name)]
public sealed class TokenAndVaultTests(ChainFixture chain)
{
    private const long WithdrawalDelay = 3600;

    [Fact]
    public async Task Supply_is_fixed_at_one_billion_and_nothing_can_mint()
    {
        var token = await chain.DeployAsync("OpenToken", chain.Deployer, chain.Deployer.Address);
        var supply = BigInteger.Pow(10, 9) * ChainFixture.Open;
        Assert.Equal(supply, await token.CallAsync<BigInteger>("totalSupply"));
        Assert.Equal(supply, await token.CallAsync<BigInteger>("balanceOf", chain.Deployer.Address));
        Assert.Equal("OPEN", await token.CallAsync<string>("symbol"));
        Assert.Equal("OpenLedger", await token.CallAsync<string>("name"));

        // No mint function exists: a call with mint(address,uint256)'s selector hits no function and reverts.
        var mint = "0x40c10f19" + chain.Deployer.Address[2..].ToLowerInvariant().PadLeft(64, '0') + new string('0', 63) + "1";
        var receipt = await chain.SendRawAsync(chain.Deployer, token.Address, mint);
        Assert.Equal(0, (int)receipt.Status.Value);
        Assert.Equal(supply, await token.CallAsync<BigInteger>("totalSupply"));
    }

    [Fact]
    public async Task Permit_signed_off_chain_sets_the_allowance_and_a_replay_reverts()
    {
        var token = await chain.DeployAsync("OpenToken", chain.Deployer, chain.Deployer.Address);
        var (owner, ownerKey) = chain.Others[0];
        var spender = chain.Others[1].Account;
        var value = 5 * ChainFixture.Open;
        var deadline = new BigInteger(await chain.NowAsync() + 3600);
        var signature = TypedSignatures.Permit(ownerKey, token.Address, spender.Address, value, 0, deadline);
        var (v, r, s) = TypedSignatures.Split(signature);

        // The spender relays the permit: the owner never sends a transaction.
        await token.SendOkAsync(spender, "permit", owner.Address, spender.Address, value, deadline, v, r, s);
        Assert.Equal(value, await token.CallAsync<BigInteger>("allowance", owner.Address, spender.Address));
        await token.SendRevertsAsync(spender, "permit", owner.Address, spender.Address, value, deadline, v, r, s);
    }

    [Fact]
    public async Task Agent_deposits_settles_and_withdraws_only_after_the_delay()
    {
        var token = await chain.DeployAsync("OpenToken", chain.Deployer, chain.Deployer.Address);
        var vault = await chain.DeployAsync("FeeVault", chain.Deployer, token.Address, chain.Deployer.Address, (ulong)WithdrawalDelay);
        var settlerRole = await vault.CallAsync<byte[]>("SETTLER_ROLE");
        var (agent, agentKey) = chain.Others[2];
        var stranger = chain.Others[3].Account;
        await token.SendOkAsync(chain.Deployer, "transfer", agent.Address, 1000 * ChainFixture.Open);

        // Deposit with a permit in one transaction, then a plain approve + deposit.
        var deadline = new BigInteger(await chain.NowAsync() + 3600);
        var (v, r, s) = TypedSignatures.Split(TypedSignatures.Permit(agentKey, token.Address, vault.Address, 300 * ChainFixture.Open, 0, deadline));
        await vault.SendOkAsync(agent, "depositWithPermit", 300 * ChainFixture.Open, deadline, v, r, s);
        await token.SendOkAsync(agent, "approve", vault.Address, 200 * ChainFixture.Open);
        await vault.SendOkAsync(agent, "deposit", 200 * ChainFixture.Open);
        Assert.Equal(500 * ChainFixture.Open, await vault.CallAsync<BigInteger>("balanceOf", agent.Address));

        // Only the settler debits, only epoch lastSettledEpoch + 1, never more than the balance.
        await vault.SendRevertsAsync(stranger, "settle", 1UL, new List<string> { agent.Address }, new List<BigInteger> { ChainFixture.Open });
        await vault.SendOkAsync(chain.Deployer, "grantRole", settlerRole, chain.Deployer.Address);
        await vault.SendRevertsAsync(chain.Deployer, "settle", 2UL, new List<string> { agent.Address }, new List<BigInteger> { ChainFixture.Open });
        await vault.SendRevertsAsync(chain.Deployer, "settle", 1UL, new List<string> { agent.Address }, new List<BigInteger> { 501 * ChainFixture.Open });
        await vault.SendOkAsync(chain.Deployer, "settle", 1UL, new List<string> { agent.Address }, new List<BigInteger> { 100 * ChainFixture.Open });
        await vault.SendRevertsAsync(chain.Deployer, "settle", 1UL, new List<string> { agent.Address }, new List<BigInteger> { ChainFixture.Open });
        Assert.Equal(400 * ChainFixture.Open, await vault.CallAsync<BigInteger>("balanceOf", agent.Address));
        Assert.Equal(100 * ChainFixture.Open, await vault.CallAsync<BigInteger>("released"));
        // Accounting: the vault holds exactly the agents' balances plus what was settled and not yet pulled.
        Assert.Equal(500 * ChainFixture.Open, await token.CallAsync<BigInteger>("balanceOf", vault.Address));

        // Withdraw: nothing without a request, not more than the balance, not before the delay.
        await vault.SendRevertsAsync(agent, "withdraw");
        await vault.SendRevertsAsync(agent, "requestWithdrawal", 401 * ChainFixture.Open);
        await vault.SendOkAsync(agent, "requestWithdrawal", 400 * ChainFixture.Open);
        await vault.SendRevertsAsync(agent, "withdraw");
        // A settlement during the delay debits first; the withdrawal pays what is left.
        await vault.SendOkAsync(chain.Deployer, "settle", 2UL, new List<string> { agent.Address }, new List<BigInteger> { 50 * ChainFixture.Open });
        await chain.IncreaseTimeAsync(WithdrawalDelay + 1);
        // Asked during epoch 2: calls landing after its close are charged in epoch 3, so it waits for that too.
        await vault.SendRevertsAsync(agent, "withdraw");
        await vault.SendOkAsync(chain.Deployer, "settle", 3UL, new List<string>(), new List<BigInteger>());
        var before = await token.CallAsync<BigInteger>("balanceOf", agent.Address);
        await vault.SendOkAsync(agent, "withdraw");
        Assert.Equal(before + (350 * ChainFixture.Open), await token.CallAsync<BigInteger>("balanceOf", agent.Address));
        Assert.Equal(BigInteger.Zero, await vault.CallAsync<BigInteger>("balanceOf", agent.Address));
        Assert.Equal(150 * ChainFixture.Open, await token.CallAsync<BigInteger>("balanceOf", vault.Address));

        // Only the distributor role pulls settled fees.
        await vault.SendRevertsAsync(stranger, "withdrawForEpoch", 150 * ChainFixture.Open, stranger.Address);
    }
}
