using System.Numerics;
using System.Text.Json;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OpenLedger.Testing;

namespace OpenLedger.Chain.Tests;

/// <summary>
/// One ganache node and one solc compile for the whole collection, plus funded accounts and helpers to deploy, send
/// (always with explicit gas, so a revert comes back as a failed receipt rather than an estimate error) and move time.
/// </summary>
public sealed class ChainFixture : IAsyncLifetime
{
    /// <summary>Gas given to every transaction; large enough for any call here.</summary>
    public static readonly HexBigInteger Gas = new(8_000_000);

    /// <summary>One OPEN in wei.</summary>
    public static readonly BigInteger Open = BigInteger.Pow(10, 18);

    private readonly Dictionary<string, (string Abi, string Bytecode)> _artifacts = new();
    private readonly Dictionary<string, Web3> _web3s = new();
    private Ganache _chain = null!;

    /// <summary>Ganache's first, genesis-funded account: deploys and holds the supply.</summary>
    public Account Deployer { get; private set; } = null!;

    /// <summary>Fresh accounts funded with ether at start; each test class takes the ones it needs.</summary>
    public IReadOnlyList<(Account Account, EthECKey Key)> Others { get; private set; } = [];

    /// <summary>The JSON-RPC endpoint.</summary>
    public string RpcUrl => _chain.RpcUrl;

    /// <summary>The folder of compiled artifacts (one JSON file per contract), removed with the fixture.</summary>
    public string ArtifactsFolder { get; } = Directory.CreateTempSubdirectory("openledger-chain").FullName;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var compiled = Task.Run(CompileAsync);
        _chain = await Ganache.StartAsync();
        Deployer = new Account(Ganache.FirstAccountKey, Ganache.ChainId);
        var others = new List<(Account, EthECKey)>();
        for (var i = 0; i < 10; i++)
        {
            var key = EthECKey.GenerateKey();
            var account = new Account(key, Ganache.ChainId);
            var receipt = await Web3For(Deployer).Eth.GetEtherTransferService()
                .TransferEtherAndWaitForReceiptAsync(account.Address, 10m);
            Assert.Equal(1, (int)receipt.Status.Value);
            others.Add((account, key));
        }
        Others = others;
        await compiled;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _chain.DisposeAsync();
        Directory.Delete(ArtifactsFolder, recursive: true);
    }

    /// <summary>A Web3 that signs as <paramref name="account"/> (one per account, kept).</summary>
    public Web3 Web3For(Account account)
    {
        lock (_web3s)
        {
            if (!_web3s.TryGetValue(account.Address, out var web3))
            {
                web3 = new Web3(account, RpcUrl);
                _web3s[account.Address] = web3;
            }
            return web3;
        }
    }

    /// <summary>Deploys contract <paramref name="name"/> from <paramref name="by"/>; fails the test if it reverts.</summary>
    public async Task<Deployed> DeployAsync(string name, Account by, params object[] arguments)
    {
        var (abi, bytecode) = _artifacts[name];
        var receipt = await Web3For(by).Eth.DeployContract.SendRequestAndWaitForReceiptAsync(abi, bytecode, by.Address, Gas, null, arguments);
        Assert.True(receipt.Status.Value == 1, $"deploying {name} reverted");
        return new Deployed(this, name, abi, receipt.ContractAddress);
    }

    /// <summary>Sends raw calldata (for functions a contract must not have).</summary>
    public Task<TransactionReceipt> SendRawAsync(Account from, string to, string data) =>
        Web3For(from).Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(
            new TransactionInput(data, to, from.Address, Gas, new HexBigInteger(0)));

    /// <summary>Moves the chain's clock forward and mines a block, so the next transaction sees the new time.</summary>
    public async Task IncreaseTimeAsync(long seconds)
    {
        var client = Web3For(Deployer).Client;
        await client.SendRequestAsync<object>("evm_increaseTime", null, seconds);
        await client.SendRequestAsync<object>("evm_mine", null);
    }

    /// <summary>The latest block's timestamp.</summary>
    public async Task<long> NowAsync()
    {
        var block = await Web3For(Deployer).Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        return (long)block.Timestamp.Value;
    }

    /// <summary>Calldata bytes for a function, as a governor proposal needs them.</summary>
    public static byte[] Calldata(Deployed contract, string function, params object[] arguments) =>
        contract.Contract(null).GetFunction(function).GetData(arguments).HexToByteArray();

    private async Task CompileAsync()
    {
        await SolidityBuild.CompileAsync(ArtifactsFolder);
        foreach (var file in Directory.EnumerateFiles(ArtifactsFolder, "*.json"))
        {
            using var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var root = artifact.RootElement;
            _artifacts[root.GetProperty("contractName").GetString()!] =
                (root.GetProperty("abi").GetRawText(), root.GetProperty("bytecode").GetString()!);
        }
    }
}

/// <summary>The collection every chain test class joins: one node, one compile.</summary>
[CollectionDefinition(Name)]
public sealed class ChainCollection : ICollectionFixture<ChainFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "chain";
}
