using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OpenLedger.Client.Chain;
using OpenLedger.Testing;

namespace OpenLedger.Benchmarks;

/// <summary>
/// The settlement benchmark's chain: a ganache node on 127.0.0.1 with a stated block gas limit, the contracts compiled
/// once by the repository's solc-js script, and the development mnemonic's accounts (0 deploys and holds the supply,
/// 1 settles, then the agents and a claimer). Every transaction has explicit gas and its receipt's status is checked,
/// since Nethereum does not throw on a revert.
/// </summary>
public sealed class SettlementChain : IAsyncDisposable
{
    private const int FirstAgentIndex = 2;

    private readonly Ganache _node;
    private readonly string _artifactsFolder;
    private readonly Dictionary<string, Web3> _web3s = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Contract, string Address), Contract> _contracts = new();

    private SettlementChain(Ganache node, string artifactsFolder, long blockGasLimit, int agents)
    {
        _node = node;
        _artifactsFolder = artifactsFolder;
        Artifacts = ContractArtifacts.Load(artifactsFolder);
        BlockGasLimit = blockGasLimit;
        Deployer = AccountAt(DevelopmentMnemonic.DeployerIndex);
        Settler = AccountAt(DevelopmentMnemonic.SettlerIndex);
        Agents = Enumerable.Range(FirstAgentIndex, agents).Select(AccountAt).ToList();
        Claimer = AccountAt(FirstAgentIndex + agents);
    }

    /// <summary>The compiled contracts.</summary>
    public ContractArtifacts Artifacts { get; }

    /// <summary>The block gas limit the node reports.</summary>
    public long BlockGasLimit { get; }

    /// <summary>Deploys the economy and holds the OPEN supply.</summary>
    public Account Deployer { get; }

    /// <summary>Holds the vault's and the distributor's settler roles, and pays the push baseline.</summary>
    public Account Settler { get; }

    /// <summary>The agents whose deposits each epoch's settlement debits.</summary>
    public IReadOnlyList<Account> Agents { get; }

    /// <summary>Sends claims on the recipients' behalf (a claim always pays the account it names).</summary>
    public Account Claimer { get; }

    /// <summary>Compiles the contracts and starts ganache with <paramref name="blockGasLimit"/>, both at once.</summary>
    public static async Task<SettlementChain> StartAsync(long blockGasLimit, int agents)
    {
        var folder = Directory.CreateTempSubdirectory("openledger-settlement").FullName;
        Ganache? node = null;
        try
        {
            var compiled = SolidityBuild.CompileAsync(folder);
            node = await Ganache.StartAsync(blockGasLimit);
            await compiled;
            var web3 = new Web3(node.RpcUrl);
            var latest = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
            return new SettlementChain(node, folder, (long)latest.GasLimit.Value, agents);
        }
        catch
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Deploys and wires a fresh economy with the SDK's deployment, the settler as <see cref="Settler"/>.</summary>
    public async Task<EconomyContracts> DeployEconomyAsync() =>
        (await EconomyDeployment.DeployAsync(_node.RpcUrl, DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex),
            Ganache.ChainId, _artifactsFolder, EconomySettings.Local(Settler.Address))).Contracts;

    /// <summary>Deploys <paramref name="contract"/> from <paramref name="by"/> and returns its address.</summary>
    public async Task<string> DeployAsync(string contract, Account by, params object[] arguments)
    {
        var artifact = Artifacts.Get(contract);
        var receipt = await Web3For(by).Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            artifact.Abi, artifact.Bytecode, by.Address, new HexBigInteger(BlockGasLimit), null, arguments);
        Check(receipt, $"deploying {contract}", BlockGasLimit);
        return receipt.ContractAddress;
    }

    /// <summary>Sends <paramref name="function"/> with <paramref name="gas"/> and returns the gas it used; throws when it reverted.</summary>
    public async Task<long> SendAsync(Account from, string contract, string address, string function, long gas, params object[] arguments)
    {
        var input = ContractAt(contract, address).GetFunction(function)
            .CreateTransactionInput(from.Address, new HexBigInteger(gas), new HexBigInteger(0), arguments);
        var receipt = await Web3For(from).Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(input);
        Check(receipt, $"{contract}.{function} from {from.Address}", gas);
        return (long)receipt.GasUsed.Value;
    }

    /// <summary>Calls a view.</summary>
    public Task<T> CallAsync<T>(string contract, string address, string function, params object[] arguments) =>
        ContractAt(contract, address).GetFunction(function).CallAsync<T>(arguments);

    /// <summary>The OPEN balance of <paramref name="account"/>.</summary>
    public Task<BigInteger> BalanceAsync(EconomyContracts economy, string account) =>
        CallAsync<BigInteger>("OpenToken", economy.Token, "balanceOf", account);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_artifactsFolder, recursive: true);
    }

    private static Account AccountAt(int index) => new(DevelopmentMnemonic.PrivateKey(index), Ganache.ChainId);

    private static void Check(TransactionReceipt receipt, string what, long gas)
    {
        if (receipt.Status?.Value != 1)
        {
            throw new InvalidOperationException($"{what} reverted (transaction {receipt.TransactionHash}, {receipt.GasUsed?.Value} of {gas} gas used).");
        }
    }

    private Web3 Web3For(Account account)
    {
        if (!_web3s.TryGetValue(account.Address, out var web3))
        {
            web3 = new Web3(account, _node.RpcUrl);
            _web3s[account.Address] = web3;
        }
        return web3;
    }

    // Only encodes calldata and calls views: the sender's own Web3 signs.
    private Contract ContractAt(string contract, string address)
    {
        if (!_contracts.TryGetValue((contract, address), out var bound))
        {
            bound = Web3For(Deployer).Eth.GetContract(Artifacts.Get(contract).Abi, address);
            _contracts[(contract, address)] = bound;
        }
        return bound;
    }
}
