namespace OpenLedger.Economy;

/// <summary>
/// An agent's spending against its fee-vault deposit (key: the agent's 0x address). Every call reserves its largest
/// possible fee before it is served, so concurrent calls can never together spend more than the deposit, and the
/// epoch settlement can never be refused for an agent's debit.
/// </summary>
[Alias("OpenLedger.IAgentAccountGrain")]
public interface IAgentAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Holds <paramref name="maxFeeWei"/> for the inference; throws <c>InsufficientDepositException</c> when the
    /// deposit, less pending withdrawals, unsettled debits and other holds, is smaller, and
    /// <c>BudgetExceededException</c> when it would take the agent past its epoch budget.
    /// </summary>
    [Alias("Reserve")]
    Task Reserve(string inferenceId, string maxFeeWei);

    /// <summary>Replaces the inference's hold with its actual fee, now an unsettled debit. Idempotent.</summary>
    [Alias("Commit")]
    Task Commit(string inferenceId, string feeWei);

    /// <summary>Drops the inference's hold (it was not served). Idempotent.</summary>
    [Alias("Release")]
    Task Release(string inferenceId);

    /// <summary>Records that epoch <paramref name="epochId"/> debited <paramref name="debitedWei"/> in the vault; repeats are ignored.</summary>
    [Alias("Settled")]
    Task Settled(long epochId, string debitedWei);

    /// <summary>
    /// Sets the agent's epoch budget (decimal wei; null for the grid's default): fees charged and not yet settled plus
    /// holds may never exceed it, and a call that would is refused with <c>BudgetExceededException</c>.
    /// </summary>
    [Alias("SetBudget")]
    Task SetBudget(string? epochBudgetWei);

    /// <summary>The deposit as the vault holds it and what is spoken for.</summary>
    [Alias("Balance")]
    Task<AgentBalance> Balance();
}

/// <summary>An agent's vault deposit and what is spoken for, in decimal wei.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentBalance")]
public sealed record AgentBalance(
    [property: Id(0)] string Agent,
    [property: Id(1)] string DepositWei,
    [property: Id(2)] string PendingWithdrawalWei,
    [property: Id(3)] string UnsettledWei,
    [property: Id(4)] string ReservedWei,
    [property: Id(5)] string AvailableWei,
    [property: Id(6)] string? BudgetLeftWei = null);
