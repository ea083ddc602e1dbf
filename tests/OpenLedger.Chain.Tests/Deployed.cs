using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3.Accounts;

namespace OpenLedger.Chain.Tests;

/// <summary>A deployed contract: send as any account, call as a view.</summary>
public sealed class Deployed(ChainFixture chain, string name, string abi, string address)
{
    /// <summary>The contract's name in the artifacts.</summary>
    public string Name { get; } = name;

    /// <summary>The contract's address.</summary>
    public string Address { get; } = address;

    /// <summary>The contract bound to a Web3 that signs as <paramref name="signer"/> (the deployer when null).</summary>
    public Nethereum.Contracts.Contract Contract(Account? signer) =>
        chain.Web3For(signer ?? chain.Deployer).Eth.GetContract(abi, Address);

    /// <summary>Sends a transaction with explicit gas and returns its receipt, reverted or not.</summary>
    public Task<TransactionReceipt> SendAsync(Account from, string function, params object[] arguments)
    {
        var input = Contract(from).GetFunction(function).CreateTransactionInput(from.Address, ChainFixture.Gas, new HexBigInteger(0), arguments);
        return chain.Web3For(from).Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(input);
    }

    /// <summary>Sends and asserts success.</summary>
    public async Task<TransactionReceipt> SendOkAsync(Account from, string function, params object[] arguments)
    {
        var receipt = await SendAsync(from, function, arguments);
        Assert.True(receipt.Status.Value == 1, $"{Name}.{function} reverted");
        return receipt;
    }

    /// <summary>Sends and asserts the transaction reverted on-chain.</summary>
    public async Task SendRevertsAsync(Account from, string function, params object[] arguments)
    {
        var receipt = await SendAsync(from, function, arguments);
        Assert.True(receipt.Status.Value == 0, $"{Name}.{function} should have reverted");
    }

    /// <summary>Calls a view.</summary>
    public Task<T> CallAsync<T>(string function, params object[] arguments) =>
        Contract(null).GetFunction(function).CallAsync<T>(arguments);
}
