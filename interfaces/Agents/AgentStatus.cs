namespace OpenLedger.Agents;

/// <summary>An agent as the grid sees it.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentStatus")]
public sealed record AgentStatus(
    [property: Id(0)] string Address,
    [property: Id(1)] bool Eligible,
    [property: Id(2)] string StakeWei,
    [property: Id(3)] string MinimumStakeWei,
    [property: Id(4)] IReadOnlyList<AgentKeyInfo> Keys,
    [property: Id(5)] AgentLimits Limits,
    [property: Id(6)] AgentUsage Usage,
    [property: Id(7)] int Warnings,
    [property: Id(8)] IReadOnlyList<MisbehaviourEvidence> Evidence);

/// <summary>A key's public facts (never its secret).</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentKeyInfo")]
public sealed record AgentKeyInfo(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string? Label,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset? RevokedAt);

/// <summary>What the agent spends: calls in flight and its fee-vault account, in decimal wei.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentUsage")]
public sealed record AgentUsage(
    [property: Id(0)] int InFlight,
    [property: Id(1)] string DepositWei,
    [property: Id(2)] string AvailableWei,
    [property: Id(3)] string ReservedWei,
    [property: Id(4)] string UnsettledWei,
    [property: Id(5)] string? BudgetLeftWei);
