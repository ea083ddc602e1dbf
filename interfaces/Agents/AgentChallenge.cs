namespace OpenLedger.Agents;

/// <summary>Text an agent signs with its Ethereum key to prove it holds the address, and until when it is accepted.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentChallenge")]
public sealed record AgentChallenge(
    [property: Id(0)] string Address,
    [property: Id(1)] string Text,
    [property: Id(2)] DateTimeOffset ExpiresAt);

/// <summary>A newly issued API key. <see cref="Key"/> is shown this once; the grid keeps only a hash of its secret.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.IssuedAgentKey")]
public sealed record IssuedAgentKey(
    [property: Id(0)] string Key,
    [property: Id(1)] string KeyId,
    [property: Id(2)] string Address,
    [property: Id(3)] string StakeWei,
    [property: Id(4)] DateTimeOffset CreatedAt);
