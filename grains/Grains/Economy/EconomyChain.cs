using System.Numerics;
using Microsoft.Extensions.Options;
using Nethereum.Web3;
using OpenLedger.Economy;
using OpenLedger.Economy.Chain;
using OpenLedger.Economy.Fees;
using OpenLedger.Errors;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// What the grains read from the chain: an agent's vault deposit and pending withdrawal, the governed fee split, an
/// anchor. One per silo; reads only, the settlement grain alone signs.
/// </summary>
public sealed class EconomyChain(IOptions<EconomyOptions> options, TimeProvider time)
{
    private readonly Lazy<Web3> _web3 = new(() => new Web3(options.Value.RpcUrl));
    private (FeeSplit Split, DateTimeOffset At)? _split;

    /// <summary>The options.</summary>
    public EconomyOptions Options => options.Value;

    /// <summary>True when a chain is configured.</summary>
    public bool Enabled => options.Value.Enabled;

    /// <summary>Throws <see cref="EconomyNotConfiguredException"/> when no chain is configured.</summary>
    public void RequireEnabled()
    {
        if (!Enabled)
        {
            throw new EconomyNotConfiguredException();
        }
    }

    /// <summary>The ledger shard an inference's charge lands on.</summary>
    public long ShardOf(string inferenceId)
    {
        // A stable hash (not string.GetHashCode, which changes per process): the shard must not depend on the silo.
        var hash = OpenLedger.Datanets.Keccak.Hash(System.Text.Encoding.UTF8.GetBytes(inferenceId));
        return (long)(BitConverter.ToUInt32(hash, 0) % (uint)options.Value.LedgerShards);
    }

    /// <summary>The agent's deposit and its pending withdrawal request, in wei.</summary>
    public async Task<(BigInteger Deposit, BigInteger PendingWithdrawal)> VaultAsync(string agent)
    {
        RequireEnabled();
        var vault = _web3.Value.Eth.GetContract(EconomyAbi.FeeVault, options.Value.FeeVault);
        var deposit = await vault.GetFunction("balanceOf").CallAsync<BigInteger>(agent);
        var pending = await vault.GetFunction("pendingWithdrawal").CallDecodingToDefaultAsync(agent);
        return (deposit, (BigInteger)pending[0].Result);
    }

    /// <summary>The fee split governance holds on-chain, cached for <see cref="EconomyOptions.FeeSplitCacheTime"/>.</summary>
    public async Task<FeeSplit> FeeSplitAsync()
    {
        RequireEnabled();
        var now = time.GetUtcNow();
        if (_split is { } cached && now - cached.At < options.Value.FeeSplitCacheTime)
        {
            return cached.Split;
        }
        var contract = _web3.Value.Eth.GetContract(EconomyAbi.FeeSplit, options.Value.FeeSplit);
        async Task<int> Bps(string name) => await contract.GetFunction(name).CallAsync<ushort>();
        var split = new FeeSplit(await Bps("burnBps"), await Bps("protocolBps"), await Bps("modelDeveloperBps"), await Bps("dataContributorsBps"));
        _split = (split, now);
        return split;
    }
}
