using System.Numerics;

namespace OpenLedger.Cluster.Tests.Faults;

/// <summary>
/// What the chain holds that the economy moves: OPEN's supply (burns lower it), the distributor's balance (what was
/// posted and not claimed), every agent's fee-vault deposit (debits lower it), and the epoch counters of the
/// distributor and the vault.
/// </summary>
/// <param name="Supply">OPEN's total supply.</param>
/// <param name="Distributor">The distributor's OPEN balance.</param>
/// <param name="Deposits">Each agent's vault deposit, by lower-case address.</param>
/// <param name="LastPosted">The distributor's last epoch.</param>
/// <param name="LastSettled">The vault's last settled epoch.</param>
public sealed record ChainLedger(BigInteger Supply, BigInteger Distributor, IReadOnlyDictionary<string, BigInteger> Deposits, long LastPosted, long LastSettled)
{
    /// <summary>Reads it from the fault grid's chain.</summary>
    public static async Task<ChainLedger> ReadAsync(FaultGrid grid)
    {
        var economy = grid.Economy;
        var contracts = economy.Contracts;
        var deposits = new Dictionary<string, BigInteger>();
        foreach (var agent in grid.Agents)
        {
            deposits[agent.Address] = await economy.CallAsync<BigInteger>("FeeVault", contracts.FeeVault, "balanceOf", agent.Account.Address);
        }
        return new ChainLedger(
            await economy.CallAsync<BigInteger>("OpenToken", contracts.Token, "totalSupply"),
            await economy.CallAsync<BigInteger>("OpenToken", contracts.Token, "balanceOf", contracts.Distributor),
            deposits,
            (long)await economy.CallAsync<ulong>("AttributionDistributor", contracts.Distributor, "lastEpoch"),
            (long)await economy.CallAsync<ulong>("FeeVault", contracts.FeeVault, "lastSettledEpoch"));
    }
}
