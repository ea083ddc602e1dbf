using System.Numerics;
using Nethereum.Util;
using Nethereum.Web3;
using OpenLedger.Client.Chain;
using OpenLedger.Testing;

namespace OpenLedger.Chain.Tests;

/// <summary>The one-shot deployment of the whole economy: code everywhere, roles wired, admin with the Timelock only, reused when current.</summary>
[Collection(ChainCollection.Name)]
public sealed class EconomyDeploymentTests(ChainFixture chain)
{
    [Fact]
    public void The_development_mnemonic_derives_ganaches_accounts()
    {
        Assert.Equal(Ganache.FirstAccountKey, DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex));
        Assert.Equal("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", DevelopmentMnemonic.Address(DevelopmentMnemonic.SettlerIndex));
    }

    [Fact]
    public async Task Deploys_and_wires_every_contract_hands_admin_to_the_timelock_and_reuses_a_current_record()
    {
        var settler = DevelopmentMnemonic.Address(DevelopmentMnemonic.SettlerIndex);
        var settings = EconomySettings.Local(settler);
        var record = Path.Combine(Directory.CreateTempSubdirectory("openledger-economy").FullName, "chain.json");
        try
        {
            var first = await EconomyDeployment.DeployAsync(chain.RpcUrl, Ganache.FirstAccountKey, Ganache.ChainId, chain.ArtifactsFolder, settings, record);
            Assert.False(first.Reused);
            var contracts = first.Contracts;
            Assert.True(File.Exists(record));
            Assert.Equal(chain.Deployer.Address, contracts.Deployer, ignoreCase: true);
            Assert.Equal(contracts.Deployer, contracts.Treasury);
            Assert.Equal(Ganache.ChainId, contracts.ChainId);
            Assert.Equal(settings, contracts.Settings);
            Assert.DoesNotContain("PrivateKey", await File.ReadAllTextAsync(record), StringComparison.OrdinalIgnoreCase);

            var web3 = new Web3(chain.RpcUrl);
            Assert.Equal(EconomyDeployment.ContractNames.Count, contracts.All.Select(c => c.Address.ToUpperInvariant()).Distinct().Count());
            foreach (var (name, address) in contracts.All)
            {
                var code = await web3.Eth.GetCode.SendRequestAsync(address);
                Assert.True(code.Length > 2, $"{name} at {address} has no code");
            }

            var artifacts = ContractArtifacts.Load(chain.ArtifactsFolder);
            Task<bool> HasRole(string name, string address, byte[] role, string account) =>
                web3.Eth.GetContract(artifacts.Get(name).Abi, address).GetFunction("hasRole").CallAsync<bool>(role, account);
            var role = EconomyDeployment.Role;
            Assert.True(await HasRole("FeeVault", contracts.FeeVault, role("SETTLER_ROLE"), settler));
            Assert.True(await HasRole("FeeVault", contracts.FeeVault, role("DISTRIBUTOR_ROLE"), contracts.Distributor));
            Assert.True(await HasRole("AttributionDistributor", contracts.Distributor, role("SETTLER_ROLE"), settler));
            Assert.True(await HasRole("AgentStaking", contracts.Staking, role("SLASHER_ROLE"), settler));
            Assert.True(await HasRole("Registry", contracts.Registry, role("ANCHOR_ROLE"), settler));
            Assert.True(await HasRole("FeeSplit", contracts.FeeSplit, role("GOVERNANCE_ROLE"), contracts.Timelock));
            Assert.True(await HasRole("TimelockController", contracts.Timelock, role("PROPOSER_ROLE"), contracts.Governor));
            Assert.True(await HasRole("TimelockController", contracts.Timelock, role("CANCELLER_ROLE"), contracts.Governor));
            Assert.True(await HasRole("TimelockController", contracts.Timelock, role("EXECUTOR_ROLE"), AddressUtil.ZERO_ADDRESS));
            // The role constants the deployment computes are the contracts' own.
            Assert.Equal(role("SETTLER_ROLE"), await web3.Eth.GetContract(artifacts.Get("FeeVault").Abi, contracts.FeeVault).GetFunction("SETTLER_ROLE").CallAsync<byte[]>());

            // Admin: the Timelock everywhere, the deployer nowhere (nor the settler).
            foreach (var (name, address) in contracts.All.Where(c => c.Contract is not ("OpenToken" or "OpenVotes" or "OpenGovernor")))
            {
                Assert.True(await HasRole(name, address, EconomyDeployment.DefaultAdminRole, contracts.Timelock), $"{name}: the Timelock is not admin");
                Assert.False(await HasRole(name, address, EconomyDeployment.DefaultAdminRole, contracts.Deployer), $"{name}: the deployer is still admin");
                Assert.False(await HasRole(name, address, EconomyDeployment.DefaultAdminRole, settler), $"{name}: the settler is admin");
            }
            Assert.False(await HasRole("FeeSplit", contracts.FeeSplit, role("GOVERNANCE_ROLE"), contracts.Deployer));
            Assert.False(await HasRole("TimelockController", contracts.Timelock, role("PROPOSER_ROLE"), contracts.Deployer));

            var overview = await EconomyOverview.ReadAsync(chain.RpcUrl, contracts, artifacts);
            Assert.Equal(BigInteger.Pow(10, 27), overview.TotalSupply);
            Assert.Equal((500, 1000, 3500, 5000), (overview.BurnBps, overview.ProtocolBps, overview.ModelDeveloperBps, overview.DataContributorsBps));
            Assert.Equal(0UL, overview.LastEpoch);
            var governor = web3.Eth.GetContract(artifacts.Get("OpenGovernor").Abi, contracts.Governor);
            Assert.Equal(1, (int)await governor.GetFunction("votingDelay").CallAsync<BigInteger>());
            Assert.Equal(60, (int)await governor.GetFunction("votingPeriod").CallAsync<BigInteger>());
            Assert.Equal(100 * EconomySettings.Open, await governor.GetFunction("proposalThreshold").CallAsync<BigInteger>());
            var timelock = web3.Eth.GetContract(artifacts.Get("TimelockController").Abi, contracts.Timelock);
            Assert.Equal(60, (int)await timelock.GetFunction("getMinDelay").CallAsync<BigInteger>());
            var token = web3.Eth.GetContract(artifacts.Get("OpenToken").Abi, contracts.Token);
            Assert.True(await token.GetFunction("balanceOf").CallAsync<BigInteger>(contracts.Treasury) > 0);

            // Deploying again with the same record reuses it: same addresses, nothing sent.
            var nonce = await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(contracts.Deployer);
            var second = await EconomyDeployment.DeployAsync(chain.RpcUrl, Ganache.FirstAccountKey, Ganache.ChainId, chain.ArtifactsFolder, settings, record);
            Assert.True(second.Reused);
            Assert.Equal(contracts.All, second.Contracts.All);
            Assert.Equal(nonce.Value, (await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(contracts.Deployer)).Value);

            // Other settings are another deployment.
            var third = await EconomyDeployment.DeployAsync(chain.RpcUrl, Ganache.FirstAccountKey, Ganache.ChainId, chain.ArtifactsFolder,
                settings with { TimelockDelaySeconds = 120 }, record);
            Assert.False(third.Reused);
            Assert.NotEqual(contracts.Token, third.Contracts.Token);
            Assert.Equal(120UL, EconomyContracts.Load(record)!.Settings.TimelockDelaySeconds);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(record)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_artifact_is_named_with_how_to_build_it()
    {
        var folder = Directory.CreateTempSubdirectory("openledger-artifacts").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(chain.ArtifactsFolder, "*.json").Where(f => Path.GetFileName(f) != "OpenGovernor.json"))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
            var error = await Assert.ThrowsAsync<ContractArtifactMissingException>(() => EconomyDeployment.DeployAsync(
                chain.RpcUrl, Ganache.FirstAccountKey, Ganache.ChainId, folder, EconomySettings.Local(DevelopmentMnemonic.Address(1))));
            Assert.Equal("OpenGovernor", error.Contract);
            Assert.Contains("OpenGovernor", error.Message, StringComparison.Ordinal);
            Assert.Contains("compile-contracts.js", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_node_with_another_chain_id_is_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<EconomyDeploymentException>(() => EconomyDeployment.DeployAsync(
            chain.RpcUrl, Ganache.FirstAccountKey, 31337, chain.ArtifactsFolder, EconomySettings.Local(DevelopmentMnemonic.Address(1))));
        Assert.Contains("1337", error.Message, StringComparison.Ordinal);
    }
}
