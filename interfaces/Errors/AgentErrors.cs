namespace OpenLedger.Errors;

/// <summary>Why a key or a signed request was not accepted; <see cref="Code"/> tells them apart.</summary>
[GenerateSerializer, Alias("OpenLedger.AgentKeyRejectedException")]
public sealed class AgentKeyRejectedException(string code, string message) : OpenLedgerException(message)
{
    /// <summary>invalid_api_key, key_revoked, replayed_request, forged_request or request_expired.</summary>
    [Id(0)] public string Reason { get; } = code;

    /// <inheritdoc />
    public override string Code => Reason;
}

/// <summary>The agent's stake in AgentStaking is below the minimum, so it may not call models or get keys.</summary>
[GenerateSerializer, Alias("OpenLedger.StakeTooLowException")]
public sealed class StakeTooLowException(string agent, string stakeWei, string minimumWei)
    : OpenLedgerException($"Agent {agent} has {stakeWei} wei of OPEN staked in AgentStaking and needs {minimumWei} wei. " +
        "Stake more (`openledger agent stake AMOUNT`), then try again.")
{
    /// <summary>The agent.</summary>
    [Id(0)] public string Agent { get; } = agent;

    /// <summary>Its active stake, in wei.</summary>
    [Id(1)] public string StakeWei { get; } = stakeWei;

    /// <summary>The minimum, in wei.</summary>
    [Id(2)] public string MinimumWei { get; } = minimumWei;

    /// <inheritdoc />
    public override string Code => "stake_too_low";
}

/// <summary>A call over the agent's request rate, token rate or concurrency; refused before any work, never charged.</summary>
[GenerateSerializer, Alias("OpenLedger.AgentLimitException")]
public sealed class AgentLimitException(string code, string message, double retryAfterSeconds) : OpenLedgerException(message)
{
    /// <summary>rate_limited or concurrency_limited.</summary>
    [Id(0)] public string Reason { get; } = code;

    /// <summary>When trying again can succeed.</summary>
    [Id(1)] public double RetryAfterSeconds { get; } = retryAfterSeconds;

    /// <inheritdoc />
    public override string Code => Reason;
}

/// <summary>The call would take the agent past its spending limit for the epoch; never charged.</summary>
[GenerateSerializer, Alias("OpenLedger.BudgetExceededException")]
public sealed class BudgetExceededException(string agent, string budgetWei, string spokenForWei, string neededWei)
    : OpenLedgerException($"Agent {agent} has an epoch budget of {budgetWei} wei; {spokenForWei} wei is already charged or held this epoch and " +
        $"this call may cost up to {neededWei} wei. Wait for the epoch to settle, ask for fewer tokens, or raise the budget.")
{
    /// <summary>The agent.</summary>
    [Id(0)] public string Agent { get; } = agent;

    /// <inheritdoc />
    public override string Code => "budget_exceeded";
}

/// <summary>A key request whose challenge or signature does not hold.</summary>
[GenerateSerializer, Alias("OpenLedger.AgentChallengeException")]
public sealed class AgentChallengeException(string code, string message) : OpenLedgerException(message)
{
    /// <summary>invalid_signature or challenge_expired.</summary>
    [Id(0)] public string Reason { get; } = code;

    /// <inheritdoc />
    public override string Code => Reason;
}
