using Nethereum.Hex.HexTypes;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OpenLedger.Client.Chain;

namespace OpenLedger.Testing;

/// <summary>Contract calls the economy fixtures make on the test chain, by contract name from the compiled artifacts.</summary>
internal static class ChainCalls
{
    private static readonly HexBigInteger _gas = new(1_000_000);

    /// <summary>Calls a view function.</summary>
    public static Task<T> CallAsync<T>(string rpcUrl, ContractArtifacts artifacts, string contract, string address, string function, params object[] arguments) =>
        new Web3(rpcUrl).Eth.GetContract(artifacts.Get(contract).Abi, address).GetFunction(function).CallAsync<T>(arguments);

    /// <summary>Sends an EIP-1559 transaction signed by <paramref name="from"/>; throws when it reverts.</summary>
    public static async Task SendAsync(string rpcUrl, ContractArtifacts artifacts, Account from, string contract, string address, string function, params object[] arguments)
    {
        var web3 = new Web3(from, rpcUrl);
        web3.TransactionManager.UseLegacyAsDefault = false;
        var receipt = await web3.Eth.GetContract(artifacts.Get(contract).Abi, address).GetFunction(function)
            .SendTransactionAndWaitForReceiptAsync(from.Address, _gas, null, null, arguments);
        if (receipt.Status.Value != 1)
        {
            throw new InvalidOperationException($"{contract}.{function} reverted (transaction {receipt.TransactionHash}).");
        }
    }
}
