namespace OpenLedger.Agents;

/// <summary>
/// An agent's limits. Null means the grid's default (section OpenLedger:Agents:Limits). The budget is per settlement
/// epoch: fees charged and not yet settled, plus the holds of calls being served, never exceed it.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentLimits")]
public sealed record AgentLimits(
    [property: Id(0)] double? RequestsPerSecond = null,
    [property: Id(1)] double? TokensPerSecond = null,
    [property: Id(2)] int? Concurrency = null,
    [property: Id(3)] string? EpochBudgetWei = null);
