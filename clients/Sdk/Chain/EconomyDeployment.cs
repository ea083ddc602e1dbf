using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.RPC.NonceServices;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace OpenLedger.Client.Chain;

/// <summary>What <see cref="EconomyDeployment.DeployAsync"/> did.</summary>
/// <param name="Contracts">The addresses and settings.</param>
/// <param name="Reused">True when a recorded deployment was still on the chain and nothing was sent.</param>
public sealed record EconomyDeploymentResult(EconomyContracts Contracts, bool Reused);

/// <summary>
/// Deploys the OPEN economy and wires it: OpenToken (the supply to the deployer, the treasury), FeeVault,
/// AttributionDistributor, AgentStaking, Registry, OpenVotes, TimelockController, OpenGovernor and FeeSplit (governed
/// by the Timelock from its constructor). Roles: vault SETTLER and distributor SETTLER, staking SLASHER and registry
/// ANCHOR to the settler; vault DISTRIBUTOR to the distributor; Timelock PROPOSER and CANCELLER to the governor,
/// EXECUTOR to anyone (address 0), and CANCELLER to the guardian when the settings name one. Then every contract's DEFAULT_ADMIN_ROLE goes to the Timelock and the deployer
/// renounces its own, so after this call only a passed governance proposal can change a role or the fee split.
/// Every transaction has explicit gas and its receipt's status is checked (a revert does not throw in Nethereum).
/// Nonces come from one in-memory nonce service, which is right for a single one-shot deployer process.
/// </summary>
public static class EconomyDeployment
{
    /// <summary>The admin role of OpenZeppelin's AccessControl.</summary>
    public static readonly byte[] DefaultAdminRole = new byte[32];

    private static readonly HexBigInteger _deployGas = new(8_000_000);
    private static readonly HexBigInteger _callGas = new(200_000);
    private static readonly HexBigInteger _zero = new(0);

    /// <summary>The contracts deployed, by artifact name, in order.</summary>
    public static IReadOnlyList<string> ContractNames { get; } =
        ["OpenToken", "FeeVault", "AttributionDistributor", "AgentStaking", "Registry", "OpenVotes", "TimelockController", "OpenGovernor", "FeeSplit"];

    /// <summary>keccak256 of a role's name, as the contracts define their role constants.</summary>
    public static byte[] Role(string name) => Sha3Keccack.Current.CalculateHash(System.Text.Encoding.UTF8.GetBytes(name));

    /// <summary>
    /// Deploys and wires the economy on the chain at <paramref name="rpcUrl"/>, or reuses the deployment recorded in
    /// <paramref name="recordFile"/> when it is for this chain id, deployer and settings, was built from the same
    /// bytecode and all its contracts still have code. A fresh deployment is written to <paramref name="recordFile"/>.
    /// </summary>
    /// <exception cref="ContractArtifactMissingException">A contract has no artifact in <paramref name="artifactsFolder"/>.</exception>
    /// <exception cref="EconomyDeploymentException">The node has another chain id, or a transaction failed.</exception>
    public static async Task<EconomyDeploymentResult> DeployAsync(
        string rpcUrl, string deployerKey, long chainId, string artifactsFolder, EconomySettings settings,
        string? recordFile = null, CancellationToken cancellationToken = default)
    {
        var artifacts = ContractArtifacts.Load(artifactsFolder);
        var hashes = ContractNames.ToDictionary(name => name, name => artifacts.Get(name).BytecodeHash, StringComparer.Ordinal);
        var account = new Account(deployerKey, chainId);
        var web3 = new Web3(account, rpcUrl);
        account.NonceService = new InMemoryNonceService(account.Address, web3.Client);

        var reported = await Rpc("chain", "read the chain id", () => web3.Eth.ChainId.SendRequestAsync());
        if (reported.Value != chainId)
        {
            throw new EconomyDeploymentException("chain", "check the chain id", null, $"the node at {rpcUrl} reports chain id {reported.Value}, not {chainId}");
        }

        if (recordFile is not null && EconomyContracts.Load(recordFile) is { } recorded
            && recorded.ChainId == chainId && recorded.Settings == settings
            && string.Equals(recorded.Deployer, account.Address, StringComparison.OrdinalIgnoreCase)
            && ContractNames.All(name => recorded.BytecodeHashes.TryGetValue(name, out var hash) && hash == hashes[name])
            && await AllHaveCodeAsync(web3, recorded))
        {
            return new EconomyDeploymentResult(recorded, Reused: true);
        }

        var session = new Session(web3, account.Address, artifacts, cancellationToken);
        var deployer = account.Address;
        var token = await session.DeployAsync("OpenToken", deployer);
        var vault = await session.DeployAsync("FeeVault", token, deployer, settings.WithdrawalDelaySeconds);
        var distributor = await session.DeployAsync("AttributionDistributor", token, vault, deployer);
        var staking = await session.DeployAsync("AgentStaking", token, deployer, settings.MinimumStake, settings.UnstakeCooldownSeconds, settings.ChallengerBps);
        var registry = await session.DeployAsync("Registry", deployer);
        var votes = await session.DeployAsync("OpenVotes", token);
        // The deployer is the Timelock's temporary admin, only to hand the proposer and canceller roles to the governor.
        var timelock = await session.DeployAsync("TimelockController", new BigInteger(settings.TimelockDelaySeconds),
            new List<string>(), new List<string> { AddressUtil.ZERO_ADDRESS }, deployer);
        var governor = await session.DeployAsync("OpenGovernor", votes, timelock, settings.VotingDelaySeconds, settings.VotingPeriodSeconds,
            settings.ProposalThreshold, new BigInteger(settings.QuorumPercent));
        var feeSplit = await session.DeployAsync("FeeSplit", timelock); // governance (and admin) is the Timelock from birth

        await session.GrantAsync("FeeVault", vault, "SETTLER_ROLE", settings.Settler);
        await session.GrantAsync("FeeVault", vault, "DISTRIBUTOR_ROLE", distributor);
        await session.GrantAsync("AttributionDistributor", distributor, "SETTLER_ROLE", settings.Settler);
        await session.GrantAsync("AgentStaking", staking, "SLASHER_ROLE", settings.Settler);
        await session.GrantAsync("Registry", registry, "ANCHOR_ROLE", settings.Settler);
        await session.GrantAsync("TimelockController", timelock, "PROPOSER_ROLE", governor);
        await session.GrantAsync("TimelockController", timelock, "CANCELLER_ROLE", governor);
        if (settings.Guardian is { } guardian)
        {
            await session.GrantAsync("TimelockController", timelock, "CANCELLER_ROLE", guardian);
        }
        foreach (var (name, address) in new[] { ("FeeVault", vault), ("AttributionDistributor", distributor), ("AgentStaking", staking), ("Registry", registry) })
        {
            await session.HandOverAdminAsync(name, address, timelock);
        }
        // The Timelock administers itself from its constructor; the deployer only gives up its temporary admin.
        await session.RenounceAdminAsync("TimelockController", timelock);

        var contracts = new EconomyContracts
        {
            ChainId = chainId,
            Deployer = deployer,
            Treasury = deployer,
            Token = token,
            FeeVault = vault,
            Distributor = distributor,
            Staking = staking,
            Registry = registry,
            FeeSplit = feeSplit,
            Votes = votes,
            Timelock = timelock,
            Governor = governor,
            Settings = settings,
            BytecodeHashes = hashes,
            DeployedAt = DateTimeOffset.UtcNow,
        };
        if (recordFile is not null)
        {
            contracts.Save(recordFile);
        }
        return new EconomyDeploymentResult(contracts, Reused: false);
    }

    private static async Task<bool> AllHaveCodeAsync(Web3 web3, EconomyContracts contracts)
    {
        foreach (var (name, address) in contracts.All)
        {
            var code = await Rpc(name, "read its code", () => web3.Eth.GetCode.SendRequestAsync(address));
            if (string.IsNullOrEmpty(code) || code == "0x")
            {
                return false;
            }
        }
        return true;
    }

    private static async Task<T> Rpc<T>(string contract, string step, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is RpcResponseException or RpcClientUnknownException or RpcClientTimeoutException or HttpRequestException)
        {
            throw new EconomyDeploymentException(contract, step, null, e.Message);
        }
    }

    /// <summary>One deployer's run: sends in order, one at a time, each receipt checked.</summary>
    private sealed class Session(Web3 web3, string from, ContractArtifacts artifacts, CancellationToken cancellationToken)
    {
        public async Task<string> DeployAsync(string name, params object[] arguments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var artifact = artifacts.Get(name);
            var receipt = await Checked(name, "deploy", () =>
                web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(artifact.Abi, artifact.Bytecode, from, _deployGas, null, arguments));
            return receipt.ContractAddress;
        }

        public Task GrantAsync(string name, string address, string role, string account) =>
            SendAsync(name, address, $"grant {role} to {account}", "grantRole", Role(role), account);

        public async Task HandOverAdminAsync(string name, string address, string timelock)
        {
            await SendAsync(name, address, $"grant DEFAULT_ADMIN_ROLE to the Timelock {timelock}", "grantRole", DefaultAdminRole, timelock);
            await RenounceAdminAsync(name, address);
        }

        public Task RenounceAdminAsync(string name, string address) =>
            SendAsync(name, address, "renounce the deployer's DEFAULT_ADMIN_ROLE", "renounceRole", DefaultAdminRole, from);

        private Task SendAsync(string name, string address, string step, string function, params object[] arguments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var input = web3.Eth.GetContract(artifacts.Get(name).Abi, address).GetFunction(function)
                .CreateTransactionInput(from, _callGas, _zero, arguments);
            return Checked(name, step, () => web3.Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(input));
        }

        private static async Task<TransactionReceipt> Checked(string name, string step, Func<Task<TransactionReceipt>> send)
        {
            var receipt = await Rpc(name, step, send);
            if (receipt.Status?.Value != 1)
            {
                throw new EconomyDeploymentException(name, step, receipt.TransactionHash, "the transaction reverted");
            }
            return receipt;
        }
    }
}
