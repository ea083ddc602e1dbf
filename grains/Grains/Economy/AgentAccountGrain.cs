using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Options;
using OpenLedger.Cluster;
using OpenLedger.Economy;
using OpenLedger.Errors;
using OpenLedger.Grains.Agents;
using OpenLedger.Grains.Hosting;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// Spending against one agent's vault deposit. Not reentrant, so two calls cannot both pass the check on the same
/// balance. What is available counts the vault's balance less the pending withdrawal (which the agent may take once
/// the epochs that can still charge it are settled), the fees charged but not yet settled, and the holds of calls
/// being served. Between a settlement landing on-chain and its note reaching this grain the debits count twice,
/// which errs on the side of refusing a call rather than a settlement.
/// </summary>
[HostedBy(GridRole.Ledger)]
public sealed class AgentAccountGrain(
    [PersistentState("agent", StorageNames.GrainState)] IPersistentState<AgentAccountState> state,
    EconomyChain chain,
    IOptions<AgentPolicyOptions> policy) : Grain, IAgentAccountGrain
{
    private string Agent => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task Reserve(string inferenceId, string maxFeeWei)
    {
        var needed = Wei(maxFeeWei);
        if (state.State.Holds.ContainsKey(inferenceId))
        {
            return;
        }
        var balance = await BalanceAsync();
        if (Budget() is { } budget && balance.Unsettled + balance.Held + needed > budget)
        {
            throw new BudgetExceededException(Agent, Text(budget), Text(balance.Unsettled + balance.Held), maxFeeWei);
        }
        if (needed > balance.Available)
        {
            throw new InsufficientDepositException(Agent, Text(BigInteger.Max(balance.Available, 0)), maxFeeWei);
        }
        state.State.Holds[inferenceId] = maxFeeWei;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task Commit(string inferenceId, string feeWei)
    {
        if (!state.State.Holds.Remove(inferenceId))
        {
            return;     // committed before (or never held): nothing to move
        }
        state.State.UnsettledWei = Text(Wei(state.State.UnsettledWei) + Wei(feeWei));
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task Release(string inferenceId)
    {
        if (state.State.Holds.Remove(inferenceId))
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task Settled(long epochId, string debitedWei)
    {
        if (epochId <= state.State.LastSettledEpoch)
        {
            return;
        }
        state.State.UnsettledWei = Text(BigInteger.Max(0, Wei(state.State.UnsettledWei) - Wei(debitedWei)));
        state.State.LastSettledEpoch = epochId;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task SetBudget(string? epochBudgetWei)
    {
        if (state.State.EpochBudgetWei != epochBudgetWei)
        {
            state.State.EpochBudgetWei = epochBudgetWei;
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task<AgentBalance> Balance()
    {
        var b = await BalanceAsync();
        var left = Budget() is { } budget ? Text(BigInteger.Max(0, budget - b.Unsettled - b.Held)) : null;
        return new AgentBalance(Agent, Text(b.Deposit), Text(b.Pending), Text(b.Unsettled), Text(b.Held), Text(BigInteger.Max(b.Available, 0)), left);
    }

    // The agent's own budget, else the grid's default, else none.
    private BigInteger? Budget()
    {
        var text = state.State.EpochBudgetWei ?? policy.Value.EpochBudgetWei;
        return string.IsNullOrWhiteSpace(text) ? null : Wei(text);
    }

    private async Task<(BigInteger Deposit, BigInteger Pending, BigInteger Unsettled, BigInteger Held, BigInteger Available)> BalanceAsync()
    {
        var (deposit, pending) = await chain.VaultAsync(Agent);
        var unsettled = Wei(state.State.UnsettledWei);
        var held = state.State.Holds.Values.Aggregate(BigInteger.Zero, (sum, w) => sum + Wei(w));
        return (deposit, pending, unsettled, held, deposit - pending - unsettled - held);
    }

    private static BigInteger Wei(string text) => BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Text(BigInteger wei) => wei.ToString(CultureInfo.InvariantCulture);
}
