namespace OpenLedger.Agents;

/// <summary>What an agent did wrong.</summary>
public enum MisbehaviourKind
{
    /// <summary>Calls kept asking for more than the fee-vault deposit covers, after warnings.</summary>
    ExceededDeposit,

    /// <summary>A signed request came again with a nonce already used.</summary>
    ReplayedRequest,

    /// <summary>A request under the agent's key carried a signature that is not the agent's.</summary>
    ForgedRequest,

    /// <summary>Calls kept coming beyond the agent's limits, after warnings.</summary>
    Flooding,
}

/// <summary>Where a slash stands.</summary>
public enum SlashStage
{
    /// <summary>Evidence recorded; the slash is on its way to the settlement grain.</summary>
    Proposed,

    /// <summary>The settlement grain holds it and is sending it.</summary>
    Accepted,

    /// <summary>AgentStaking.slash succeeded on-chain.</summary>
    Slashed,

    /// <summary>Nothing could be slashed (no stake left) or the transaction reverted; see the problem.</summary>
    Failed,
}

/// <summary>
/// A record of misbehaviour. <see cref="Hash"/> (keccak-256 of <see cref="MisbehaviourEvidence.Canonical"/>) is what
/// goes on-chain with the slash, so anyone holding the record can check it.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.MisbehaviourEvidence")]
public sealed record MisbehaviourEvidence(
    [property: Id(0)] string Hash,
    [property: Id(1)] string Agent,
    [property: Id(2)] MisbehaviourKind Kind,
    [property: Id(3)] DateTimeOffset ObservedAt,
    [property: Id(4)] string Detail,
    [property: Id(5)] SlashOutcome? Slash)
{
    /// <summary>The bytes hashed into <see cref="Hash"/>: kind, agent, time (unix ms) and detail, one per line.</summary>
    public static string Canonical(MisbehaviourKind kind, string agent, DateTimeOffset observedAt, string detail) =>
        $"OpenLedger evidence\n{kind}\n{agent}\n{observedAt.ToUnixTimeMilliseconds()}\n{detail}";
}

/// <summary>A slash asked of the settlement grain: who, how much, on which evidence, paying which challenger.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SlashProposal")]
public sealed record SlashProposal(
    [property: Id(0)] string Agent,
    [property: Id(1)] string EvidenceHash,
    [property: Id(2)] string AmountWei,
    [property: Id(3)] string Challenger);

/// <summary>Where a slash stands and, once done, what moved: the challenger's part and the part burned.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SlashOutcome")]
public sealed record SlashOutcome(
    [property: Id(0)] string EvidenceHash,
    [property: Id(1)] SlashStage Stage,
    [property: Id(2)] string AmountWei,
    [property: Id(3)] string Challenger,
    [property: Id(4)] string? ToChallengerWei = null,
    [property: Id(5)] string? BurnedWei = null,
    [property: Id(6)] string? Transaction = null,
    [property: Id(7)] string? Problem = null);
