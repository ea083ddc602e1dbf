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
    private BigInteger? _minimumStake;
    private int? _challengerBps;

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

    /// <summary>The agent's active stake, its stake cooling down and the minimum an agent needs, in wei.</summary>
    public async Task<(BigInteger Active, BigInteger Cooling, BigInteger Minimum)> StakeAsync(string agent)
    {
        RequireStaking();
        var staking = _web3.Value.Eth.GetContract(EconomyAbi.Staking, options.Value.Staking);
        var active = await staking.GetFunction("stakeOf").CallAsync<BigInteger>(agent);
        var cooling = await staking.GetFunction("pendingUnstake").CallDecodingToDefaultAsync(agent);
        _minimumStake ??= await staking.GetFunction("minimumStake").CallAsync<BigInteger>();
        return (active, (BigInteger)cooling[0].Result, _minimumStake.Value);
    }

    /// <summary>The challenger's part of a slash, in basis points (fixed at deployment).</summary>
    public async Task<int> ChallengerBpsAsync()
    {
        RequireStaking();
        _challengerBps ??= await _web3.Value.Eth.GetContract(EconomyAbi.Staking, options.Value.Staking).GetFunction("challengerBps").CallAsync<ushort>();
        return _challengerBps.Value;
    }

    /// <summary>Throws <see cref="EconomyNotConfiguredException"/> when no chain or no staking contract is configured.</summary>
    public void RequireStaking()
    {
        RequireEnabled();
        if (string.IsNullOrWhiteSpace(options.Value.Staking))
        {
            throw new EconomyNotConfiguredException();
        }
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
