using System.Globalization;
using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using OpenLedger.Datanets;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// Reads the distributor's <c>EpochPosted</c> and <c>Claimed(account, to, amount, cumulativeAmount)</c> logs in chain
/// order: claims are sent by contributors straight to the chain, so the grid learns of them only by reading it, and
/// reading the posts beside them means a claim is never met before the post that allows it.
/// </summary>
public sealed class ClaimLogReader(EconomyChain chain)
{
    // keccak256("Claimed(address,address,uint256,uint256)"): the event's first topic.
    private static readonly string _claimedTopic = Hex.Encode(Keccak.Hash("Claimed(address,address,uint256,uint256)"u8.ToArray()));
    // keccak256("EpochPosted(uint64,bytes32,uint256,uint256,bytes32)").
    private static readonly string _postedTopic = Hex.Encode(Keccak.Hash("EpochPosted(uint64,bytes32,uint256,uint256,bytes32)"u8.ToArray()));
    private readonly Lazy<Web3> _web3 = new(() => new Web3(chain.Options.RpcUrl));

    /// <summary>The chain's latest block number.</summary>
    public async Task<long> LatestBlockAsync() => (long)(await _web3.Value.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    /// <summary>
    /// The posts and claims logged in blocks <paramref name="from"/> to <paramref name="to"/>, in chain order; a post
    /// is a <see cref="ClaimSeen"/> with no account and its epoch in <see cref="ClaimSeen.PostedEpoch"/>.
    /// </summary>
    public async Task<IReadOnlyList<ClaimSeen>> DistributorLogsAsync(long from, long to)
    {
        chain.RequireEnabled();
        var filter = new NewFilterInput
        {
            Address = [chain.Options.Distributor!],
            FromBlock = new BlockParameter(new HexBigInteger(from)),
            ToBlock = new BlockParameter(new HexBigInteger(to)),
            Topics = [new[] { _claimedTopic, _postedTopic }],
        };
        var logs = await _web3.Value.Eth.Filters.GetLogs.SendRequestAsync(filter);
        return [.. logs
            .OrderBy(l => l.BlockNumber.Value).ThenBy(l => l.LogIndex.Value)
            .Select(l => string.Equals(l.Topics[0].ToString(), _postedTopic, StringComparison.OrdinalIgnoreCase)
                ? new ClaimSeen(null, BigInteger.Zero, l.TransactionHash, (long)l.BlockNumber.Value,
                    (long)BigInteger.Parse("0" + l.Topics[1].ToString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture))
                : new ClaimSeen(
                "0x" + l.Topics[1].ToString()![^40..],
                // data = amount ‖ cumulativeAmount, each a 32-byte big-endian word.
                BigInteger.Parse("0" + l.Data[(2 + 64)..(2 + 128)], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                l.TransactionHash,
                (long)l.BlockNumber.Value))];
    }
}
