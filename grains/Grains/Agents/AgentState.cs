using OpenLedger.Agents;

namespace OpenLedger.Grains.Agents;

/// <summary>An agent as stored: its keys (secret hashes only), its limits and its evidence.</summary>
[GenerateSerializer, Alias("OpenLedger.AgentState")]
public sealed class AgentState
{
    /// <summary>Every key issued, revoked ones included.</summary>
    [Id(0)] public List<StoredAgentKey> Keys { get; set; } = [];

    /// <summary>Limits an operator set; null for the defaults.</summary>
    [Id(1)] public AgentLimits? Limits { get; set; }

    /// <summary>Evidence of misbehaviour, oldest first, with each slash's outcome.</summary>
    [Id(2)] public List<MisbehaviourEvidence> Evidence { get; set; } = [];

    /// <summary>Warnings given with refusals.</summary>
    [Id(3)] public int Warnings { get; set; }
}

/// <summary>A key as stored: the SHA-256 of its secret, never the secret.</summary>
[GenerateSerializer, Alias("OpenLedger.StoredAgentKey")]
public sealed class StoredAgentKey
{
    /// <summary>The key id (8 hex digits).</summary>
    [Id(0)] public string KeyId { get; set; } = "";

    /// <summary>SHA-256 of the secret, lowercase hex.</summary>
    [Id(1)] public string SecretHash { get; set; } = "";

    /// <summary>The agent's name for the key.</summary>
    [Id(2)] public string? Label { get; set; }

    /// <summary>When it was issued.</summary>
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was revoked; null while it works.</summary>
    [Id(4)] public DateTimeOffset? RevokedAt { get; set; }
}
