using Nethereum.Web3.Accounts;

namespace OpenLedger.Chain.Tests;

/// <summary>Token, fee vault and distributor wired as deployment wires them, with the deployer acting as settler.</summary>
public static class DistributionContracts
{
    /// <summary>Deploys the three contracts and grants the roles a settlement needs.</summary>
    public static async Task<(Deployed Token, Deployed Vault, Deployed Distributor)> DeployAsync(ChainFixture chain)
    {
        Account deployer = chain.Deployer;
        var token = await chain.DeployAsync("OpenToken", deployer, deployer.Address);
        var vault = await chain.DeployAsync("FeeVault", deployer, token.Address, deployer.Address, 3600UL);
        var distributor = await chain.DeployAsync("AttributionDistributor", deployer, token.Address, vault.Address, deployer.Address);
        await vault.SendOkAsync(deployer, "grantRole", await vault.CallAsync<byte[]>("SETTLER_ROLE"), deployer.Address);
        await vault.SendOkAsync(deployer, "grantRole", await vault.CallAsync<byte[]>("DISTRIBUTOR_ROLE"), distributor.Address);
        await distributor.SendOkAsync(deployer, "grantRole", await distributor.CallAsync<byte[]>("SETTLER_ROLE"), deployer.Address);
        return (token, vault, distributor);
    }
}
