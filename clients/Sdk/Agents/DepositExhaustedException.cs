namespace OpenLedger.Client.Agents;

/// <summary>
/// 402 <c>insufficient_deposit</c>: the agent's deposit in the fee vault does not cover the request. Deposit more before
/// retrying; <see cref="AgentClient.StatusAsync"/> shows the deposit and what is available of it.
/// </summary>
public sealed class DepositExhaustedException(int status, string type, string? code, string? param, string message)
    : AgentApiException(status, type, code, param, message)
{
}
