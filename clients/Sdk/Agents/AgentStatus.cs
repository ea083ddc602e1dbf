using System.Numerics;

namespace OpenLedger.Client.Agents;

/// <summary>
/// An agent as the grid sees it (<c>GET /v1/agent</c>): whether its stake lets it call models, its keys, its limits,
/// what it has spent and may still spend, and the evidence of misbehaviour held against it with any slash that followed.
/// </summary>
public sealed record AgentStatus(
    string Address,
    bool Eligible,
    BigInteger StakeWei,
    BigInteger MinimumStakeWei,
    IReadOnlyList<AgentKeyInfo> Keys,
    AgentLimits Limits,
    AgentUsage Usage,
    int Warnings,
    IReadOnlyList<AgentEvidence> Evidence)
{
    /// <summary>What the agent spent this epoch, where the grid sets it an epoch budget; null otherwise.</summary>
    public BigInteger? SpentThisEpochWei =>
        Limits.EpochBudgetWei is { } budget && Usage.BudgetLeftWei is { } left ? BigInteger.Max(BigInteger.Zero, budget - left) : null;
}

/// <summary>One of the agent's keys: <paramref name="RevokedAt"/> is null while it works.</summary>
public sealed record AgentKeyInfo(string KeyId, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>True once the key has been revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>
/// The rates the grid allows the agent, from its stake: requests and tokens per second, requests in flight, and the
/// spending limit per epoch (null when there is none).
/// </summary>
public sealed record AgentLimits(double RequestsPerSecond, double TokensPerSecond, int Concurrency, BigInteger? EpochBudgetWei);

/// <summary>
/// The agent's money and load: requests in flight; its deposit in the fee vault, the part available to new requests,
/// the part reserved by requests in flight and the part spent but not yet settled on chain; and what is left of this
/// epoch's budget (null without one).
/// </summary>
public sealed record AgentUsage(int InFlight, BigInteger DepositWei, BigInteger AvailableWei, BigInteger ReservedWei, BigInteger UnsettledWei, BigInteger? BudgetLeftWei);

/// <summary>
/// Misbehaviour the grid recorded against the agent, under <paramref name="Hash"/>; <paramref name="Kind"/> is null for
/// a kind this client does not know, and <paramref name="Slash"/> is what became of the stake, when a slash followed.
/// </summary>
public sealed record AgentEvidence(string Hash, AgentMisbehaviour? Kind, DateTimeOffset ObservedAt, string Detail, AgentSlash? Slash);

/// <summary>What an agent was caught doing.</summary>
public enum AgentMisbehaviour
{
    /// <summary>Spent beyond its deposit.</summary>
    ExceededDeposit,

    /// <summary>Sent a signed request again.</summary>
    ReplayedRequest,

    /// <summary>Sent a request whose signature was not its own.</summary>
    ForgedRequest,

    /// <summary>Kept sending far past its rate limit.</summary>
    Flooding,
}

/// <summary>
/// A slash of the agent's stake: <paramref name="AmountWei"/> in all, of which <paramref name="ToChallengerWei"/> went
/// to <paramref name="Challenger"/> and <paramref name="BurnedWei"/> was burned; <paramref name="Transaction"/> is the
/// chain transaction once sent. <paramref name="Stage"/> is null for a stage this client does not know.
/// </summary>
public sealed record AgentSlash(SlashStage? Stage, BigInteger AmountWei, BigInteger ToChallengerWei, BigInteger BurnedWei, string Challenger, string? Transaction);

/// <summary>Where a slash stands.</summary>
public enum SlashStage
{
    /// <summary>Proposed, not yet sent to the chain.</summary>
    Proposed,

    /// <summary>Taken by the grid's settlement, on its way to the chain.</summary>
    Accepted,

    /// <summary>Done: the stake was cut.</summary>
    Slashed,

    /// <summary>The chain refused it.</summary>
    Failed,
}
