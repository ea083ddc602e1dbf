namespace OpenLedger.Client.Agents;

/// <summary>
/// 429 <c>budget_exceeded</c>: the agent has spent its budget for this epoch. Retrying does not help before the next
/// epoch; <see cref="AgentClient.StatusAsync"/> shows the budget and what is left of it.
/// </summary>
public sealed class BudgetExceededException(int status, string type, string? code, string? param, string message)
    : AgentApiException(status, type, code, param, message)
{
}
