namespace OpenLedger.Errors;

/// <summary>The agent's deposit in the fee vault does not cover the call's largest possible fee.</summary>
[GenerateSerializer, Alias("OpenLedger.InsufficientDepositException")]
public sealed class InsufficientDepositException(string agent, string availableWei, string neededWei)
    : OpenLedgerException($"Agent {agent} has {availableWei} wei of OPEN available in the fee vault, and this call may cost up to {neededWei} wei. " +
        "Deposit more OPEN (`openledger agent deposit AMOUNT`), or ask for fewer tokens.")
{
    /// <summary>The agent's address.</summary>
    [Id(0)] public string Agent { get; } = agent;

    /// <summary>What the agent can spend now, in wei.</summary>
    [Id(1)] public string AvailableWei { get; } = availableWei;

    /// <summary>What the call may cost, in wei.</summary>
    [Id(2)] public string NeededWei { get; } = neededWei;

    /// <inheritdoc />
    public override string Code => "insufficient_deposit";
}

/// <summary>The grid runs without a chain, so nothing can be charged, settled or claimed.</summary>
[GenerateSerializer, Alias("OpenLedger.EconomyNotConfiguredException")]
public sealed class EconomyNotConfiguredException()
    : OpenLedgerException("This grid has no chain configured (section OpenLedger:Economy), so fees, epochs and claims are off. `./openledger up` deploys the contracts on a local chain and configures the silos.")
{
    /// <inheritdoc />
    public override string Code => "economy_not_configured";
}

/// <summary>An epoch could not be put on-chain; nothing was skipped, and closing again resumes where it stopped.</summary>
[GenerateSerializer, Alias("OpenLedger.SettlementException")]
public sealed class SettlementException(long epochId, string problem)
    : OpenLedgerException($"Epoch {epochId} could not be settled: {problem} Nothing was skipped or paid twice; `openledger epoch close` resumes it.")
{
    /// <summary>The epoch.</summary>
    [Id(0)] public long EpochId { get; } = epochId;

    /// <inheritdoc />
    public override string Code => "settlement_failed";
}

/// <summary>No closed epoch has this id, or the inference is not in that epoch's batch.</summary>
[GenerateSerializer, Alias("OpenLedger.UnknownEpochException")]
public sealed class UnknownEpochException(long epochId, string what)
    : OpenLedgerException($"Epoch {epochId} {what}. `openledger epoch list` shows the closed epochs.")
{
    /// <summary>The epoch asked for.</summary>
    [Id(0)] public long EpochId { get; } = epochId;

    /// <inheritdoc />
    public override string Code => "epoch_not_found";
}

/// <summary>
/// The earnings read model refused an event: malformed, in conflict with one applied before, or a claim beyond what was
/// posted. Nothing was applied or stored; <see cref="Code"/> names the kind and the message the event and field.
/// </summary>
[GenerateSerializer, Alias("OpenLedger.EarningsEventRefusedException")]
public sealed class EarningsEventRefusedException(string code, string message) : OpenLedgerException(message)
{
    [Id(0)] private readonly string _code = code;

    /// <inheritdoc />
    public override string Code => _code;
}
