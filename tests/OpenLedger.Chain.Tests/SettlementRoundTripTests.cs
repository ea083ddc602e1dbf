using System.Numerics;
using Nethereum.Web3.Accounts;
using OpenLedger.Economy.Epochs;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Chain.Tests;

/// <summary>
/// The off-chain economy against the contracts: inference fees split by attribution shares, accrued in the epoch
/// ledger and closed into a cumulative Merkle root, are posted to the distributor and every account claims exactly
/// its cumulative amount with the engine's proofs; the burn leaves the token's total supply.
/// </summary>
[Collection(ChainCollection.Name)]
public sealed class SettlementRoundTripTests(ChainFixture chain)
{
    [Fact]
    public async Task Engine_epochs_post_and_every_recipient_claims_exactly_its_accruals()
    {
        Account deployer = chain.Deployer;
        var (token, vault, distributor) = await DistributionContracts.DeployAsync(chain);

        var contributors = chain.Others.Take(3).Select(o => o.Account.Address.ToLowerInvariant()).ToList();
        var recipients = new FeeRecipients(chain.Others[3].Account.Address.ToLowerInvariant(), chain.Others[4].Account.Address.ToLowerInvariant());
        var random = new Random(17);
        var ledger = new EpochLedger();
        var claimer = chain.Others[5].Account;
        BigInteger claimedSoFar = 0;
        for (var epoch = 1UL; epoch <= 2; epoch++)
        {
            // A few hundred inferences, each with its own attribution shares.
            BigInteger debits = 0;
            for (var i = 0; i < 200; i++)
            {
                var fee = InferenceFee.Compute(random.Next(1, 400), new BigInteger(2_000_000_000_000_000));
                var first = random.Next(0, 1_000_000_001);
                var second = random.Next(0, 1_000_000_001 - first);
                var shares = new[] { first, second, 1_000_000_000 - first - second }
                    .Select((ppb, c) => new DataShare(contributors[c], ppb)).Where(s => s.PartsPerBillion > 0).ToList();
                ledger.Accrue(FeeSplitter.Split(fee, FeeSplit.Default, recipients, shares));
                debits += fee;
            }
            var close = ledger.Close();
            Assert.Equal(debits, close.Total + close.Burn);

            // The agent's deposit covers the epoch; the vault settles it and the distributor pulls total + burn.
            await token.SendOkAsync(deployer, "approve", vault.Address, debits);
            await vault.SendOkAsync(deployer, "deposit", debits);
            await vault.SendOkAsync(deployer, "settle", epoch, new List<string> { deployer.Address }, new List<BigInteger> { debits });
            var supply = await token.CallAsync<BigInteger>("totalSupply");
            await distributor.SendOkAsync(deployer, "postEpoch", epoch, close.Root, close.Total, close.Burn, close.ManifestHash);
            Assert.Equal(supply - close.Burn, await token.CallAsync<BigInteger>("totalSupply"));

            // Every account claims with the engine's proof and ends holding exactly its cumulative amount.
            foreach (var leaf in close.Leaves)
            {
                var before = await token.CallAsync<BigInteger>("balanceOf", leaf.Account);
                await distributor.SendOkAsync(claimer, "claim", leaf.Account, leaf.CumulativeAmount, close.Proof(leaf.Account).ToList());
                claimedSoFar += await token.CallAsync<BigInteger>("balanceOf", leaf.Account) - before;
                Assert.Equal(leaf.CumulativeAmount, await token.CallAsync<BigInteger>("balanceOf", leaf.Account));
            }
            ledger = new EpochLedger(close.EpochId + 1, close.Leaves);
        }
        Assert.Equal(claimedSoFar, await distributor.CallAsync<BigInteger>("totalClaimed"));
        Assert.Equal(BigInteger.Zero, await token.CallAsync<BigInteger>("balanceOf", distributor.Address));
    }
}
