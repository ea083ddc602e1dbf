using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace OpenLedger.Economy.Chain;

/// <summary>
/// The few JSON-RPC calls the sender needs, on a <see cref="Web3"/> with no account: Nethereum's account-bound
/// transaction manager keeps its own in-memory nonces and never rolls them back, so nothing here signs or counts.
/// </summary>
internal sealed class ChainRpc(string rpcUrl)
{
    private readonly Web3 _web3 = new(rpcUrl);

    /// <summary>The count of transactions the node has seen from <paramref name="address"/>, pending ones included.</summary>
    public async Task<BigInteger> PendingNonceAsync(string address) =>
        (await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(address, BlockParameter.CreatePending())).Value;

    /// <summary>The tip the node suggests, or <paramref name="fallback"/> where it does not implement eth_maxPriorityFeePerGas.</summary>
    public async Task<BigInteger> PriorityFeeAsync(BigInteger fallback)
    {
        try
        {
            return (await _web3.Client.SendRequestAsync<HexBigInteger>("eth_maxPriorityFeePerGas")).Value;
        }
        catch (RpcResponseException)
        {
            return fallback;
        }
    }

    /// <summary>The base fee of the latest block (0 before London).</summary>
    public async Task<BigInteger> BaseFeeAsync()
    {
        var block = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        return block.BaseFeePerGas?.Value ?? BigInteger.Zero;
    }

    /// <summary>The latest block number.</summary>
    public async Task<BigInteger> BlockNumberAsync() => (await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    /// <summary>Hands a signed transaction to the node; throws <see cref="RpcResponseException"/> with the node's answer when refused.</summary>
    public Task<string> SendRawAsync(string rawTransaction) => _web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(rawTransaction);

    /// <summary>The receipt of <paramref name="hash"/>, or null while it is not mined.</summary>
    public Task<TransactionReceipt?> ReceiptAsync(string hash) => _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash)!;

    /// <summary>True when the node knows the transaction (pending or mined).</summary>
    public async Task<bool> KnowsAsync(string hash) => await _web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(hash) is not null;
}
