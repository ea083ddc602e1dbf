using System.Numerics;
using System.Text.Json.Serialization;
using Nethereum.Web3;
using OpenLedger.Economy;

namespace OpenLedger.Client.Chain;

/// <summary>The economy's state read from the chain: the token's supply and the fee split in force.</summary>
/// <param name="TotalSupply">OPEN in existence (wei): the fixed supply less everything burned.</param>
/// <param name="BurnBps">Basis points of each fee burned.</param>
/// <param name="ProtocolBps">Basis points to the protocol treasury.</param>
/// <param name="ModelDeveloperBps">Basis points to the model's developer.</param>
/// <param name="DataContributorsBps">Basis points to the data contributors, by attribution.</param>
/// <param name="LastEpoch">The distributor's last posted epoch (0 before the first).</param>
public sealed record EconomyOverview(
    [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger TotalSupply,
    int BurnBps, int ProtocolBps, int ModelDeveloperBps, int DataContributorsBps, ulong LastEpoch)
{
    /// <summary>Reads the overview of <paramref name="contracts"/> from the chain at <paramref name="rpcUrl"/> (views only, no key).</summary>
    public static async Task<EconomyOverview> ReadAsync(string rpcUrl, EconomyContracts contracts, ContractArtifacts artifacts)
    {
        var web3 = new Web3(rpcUrl);
        var token = web3.Eth.GetContract(artifacts.Get("OpenToken").Abi, contracts.Token);
        var split = web3.Eth.GetContract(artifacts.Get("FeeSplit").Abi, contracts.FeeSplit);
        var distributor = web3.Eth.GetContract(artifacts.Get("AttributionDistributor").Abi, contracts.Distributor);
        return new EconomyOverview(
            await token.GetFunction("totalSupply").CallAsync<BigInteger>(),
            await split.GetFunction("burnBps").CallAsync<ushort>(),
            await split.GetFunction("protocolBps").CallAsync<ushort>(),
            await split.GetFunction("modelDeveloperBps").CallAsync<ushort>(),
            await split.GetFunction("dataContributorsBps").CallAsync<ushort>(),
            await distributor.GetFunction("lastEpoch").CallAsync<ulong>());
    }
}
