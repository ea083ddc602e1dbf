namespace OpenLedger.Client.Agents;

/// <summary>
/// 403 <c>stake_too_low</c>: the agent's address stakes less than the grid's minimum. Stake more (locally:
/// <c>openledger agent stake 100</c>), then ask again; <see cref="AgentClient.StatusAsync"/> with <c>refresh</c>
/// re-reads the stake from the chain.
/// </summary>
public sealed class StakeTooLowException(int status, string type, string? code, string? param, string message)
    : AgentApiException(status, type, code, param, message)
{
}
