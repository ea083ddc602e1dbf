using System.Numerics;
using OpenLedger.Client.Chain;
using OpenLedger.Economy.Epochs;

namespace OpenLedger.Benchmarks;

/// <summary>
/// One fresh deployment of the economy (the SDK's <see cref="EconomyDeployment"/>) beside the push baseline, driven as
/// the operator drives it: the settler debits the agents' deposits (<c>FeeVault.settle</c>) and posts the epoch's root
/// (<c>AttributionDistributor.postEpoch</c>), or pushes every payout itself (<c>PushPayout.pay</c>). Each call returns
/// the gas its transaction used.
/// </summary>
public sealed class SettlementEconomy
{
    // Explicit gas for the constant-size calls: far above what they use, so a revert is the only way they fail.
    private const long CallGas = 1_000_000;

    // What each agent deposits and the settler holds for the push baseline: enough for every epoch of the run.
    private static readonly BigInteger _float = 1_000_000 * EconomySettings.Open;

    private readonly SettlementChain _chain;

    private SettlementEconomy(SettlementChain chain, EconomyContracts contracts, string push)
    {
        _chain = chain;
        Contracts = contracts;
        Push = push;
    }

    /// <summary>The deployed economy.</summary>
    public EconomyContracts Contracts { get; }

    /// <summary>The push baseline's address.</summary>
    public string Push { get; }

    /// <summary>Deploys the economy and the push baseline; funds the agents' deposits and the settler's push float.</summary>
    public static async Task<SettlementEconomy> DeployAsync(SettlementChain chain)
    {
        var contracts = await chain.DeployEconomyAsync();
        var push = await chain.DeployAsync("PushPayout", chain.Deployer);
        foreach (var holder in chain.Agents.Append(chain.Settler))
        {
            await chain.SendAsync(chain.Deployer, "OpenToken", contracts.Token, "transfer", CallGas, holder.Address, _float);
        }
        foreach (var agent in chain.Agents)
        {
            await chain.SendAsync(agent, "OpenToken", contracts.Token, "approve", CallGas, contracts.FeeVault, _float);
            await chain.SendAsync(agent, "FeeVault", contracts.FeeVault, "deposit", CallGas, _float);
        }
        await chain.SendAsync(chain.Settler, "OpenToken", contracts.Token, "approve", CallGas, push, _float);
        return new SettlementEconomy(chain, contracts, push);
    }

    /// <summary><c>FeeVault.settle</c>: debits each agent its charge for epoch <paramref name="epoch"/>.</summary>
    public Task<long> SettleAsync(long epoch, IReadOnlyList<BigInteger> debits) =>
        _chain.SendAsync(_chain.Settler, "FeeVault", Contracts.FeeVault, "settle", CallGas,
            (ulong)epoch, _chain.Agents.Take(debits.Count).Select(a => a.Address).ToList(), debits.ToList());

    /// <summary><c>AttributionDistributor.postEpoch</c>: the close's root, total, burn and manifest hash.</summary>
    public Task<long> PostAsync(EpochClose close) =>
        _chain.SendAsync(_chain.Settler, "AttributionDistributor", Contracts.Distributor, "postEpoch", CallGas,
            (ulong)close.EpochId, close.Root, close.Total, close.Burn, close.ManifestHash);

    /// <summary>
    /// <c>PushPayout.pay</c>: one transaction sending every payout, with the whole block as its gas; throws when it
    /// does not fit.
    /// </summary>
    public Task<long> PushAsync(IReadOnlyList<(string Recipient, BigInteger Wei)> payouts) =>
        _chain.SendAsync(_chain.Settler, "PushPayout", Push, "pay", _chain.BlockGasLimit,
            Contracts.Token, payouts.Select(p => p.Recipient).ToList(), payouts.Select(p => p.Wei).ToList());

    /// <summary>
    /// <c>AttributionDistributor.claim</c> of <paramref name="account"/>'s leaf in <paramref name="close"/>, sent by the
    /// claimer; checks the account then holds its cumulative amount (it had nothing else) and returns the gas and the
    /// proof's length.
    /// </summary>
    public async Task<(long Gas, int ProofLength)> ClaimAsync(EpochClose close, string account)
    {
        var leaf = close.Leaf(account) ?? throw new ArgumentException($"Account {account} has no leaf in epoch {close.EpochId}.", nameof(account));
        var proof = close.Proof(account).ToList();
        var gas = await _chain.SendAsync(_chain.Claimer, "AttributionDistributor", Contracts.Distributor, "claim", CallGas,
            account, leaf.CumulativeAmount, proof);
        var balance = await _chain.BalanceAsync(Contracts, account);
        if (balance != leaf.CumulativeAmount)
        {
            throw new InvalidOperationException($"After claiming, {account} holds {balance} wei, not its cumulative {leaf.CumulativeAmount}.");
        }
        return (gas, proof.Count);
    }
}
