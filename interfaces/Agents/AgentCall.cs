namespace OpenLedger.Agents;

/// <summary>What a call is: an inference takes a concurrency slot and tokens; reads and account calls only count as requests.</summary>
public enum AgentCallKind
{
    /// <summary>A completion or chat completion.</summary>
    Inference,

    /// <summary>Listing models or reading an attribution.</summary>
    Read,

    /// <summary>
    /// The agent reading its own status or revoking a key: allowed below the minimum stake, so that a slashed agent
    /// can see why it was refused and manage its keys; still counted against the request rate.
    /// </summary>
    Account,
}

/// <summary>
/// A call as the door saw it. <see cref="KeyId"/> and <see cref="SecretHash"/> come from the bearer key (null for a
/// key the silo's configuration binds to the agent, already checked there); <see cref="Signature"/> is present when
/// the request was signed.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentCall")]
public sealed record AgentCall(
    [property: Id(0)] string? KeyId,
    [property: Id(1)] string? SecretHash,
    [property: Id(2)] AgentCallKind Kind,
    [property: Id(3)] int EstimatedTokens,
    [property: Id(4)] SignedRequest? Signature,
    [property: Id(5)] string Route);

/// <summary>
/// A signed request's headers, checked by the door: the signer its signature recovers (null when it recovers none),
/// the nonce and timestamp, and the hash of what was signed.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SignedRequest")]
public sealed record SignedRequest(
    [property: Id(0)] string? Signer,
    [property: Id(1)] string Nonce,
    [property: Id(2)] long TimestampMs,
    [property: Id(3)] string RequestHash);

/// <summary>An admitted call: its lease (to pass to Finish) and a warning the agent should read, if any.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentAdmission")]
public sealed record AgentAdmission(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] string? Warning);
