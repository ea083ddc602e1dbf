using System.Numerics;
using System.Text.Json.Serialization;
using OpenLedger.Economy;

namespace OpenLedger.Client.Chain;

/// <summary>
/// What the OPEN economy is deployed with: the settler account and the governance, vault and staking parameters.
/// The defaults are OpenLedger's published governance parameters (proposal threshold 100 OPEN, voting delay 1 day,
/// voting period 2 weeks, quorum 25% of the OPEN supply, timelock 1 day); <see cref="Local"/> shortens the times for the
/// local chain.
/// </summary>
public sealed record EconomySettings
{
    /// <summary>One OPEN in wei (18 decimals).</summary>
    public static readonly BigInteger Open = BigInteger.Pow(10, 18);

    /// <summary>The settlement account: gets the vault's and distributor's settler roles, the slasher and the anchor role.</summary>
    public required string Settler { get; init; }

    /// <summary>Seconds between a proposal and the start of voting. Default 1 day.</summary>
    public ulong VotingDelaySeconds { get; init; } = 24 * 3600;

    /// <summary>Seconds of voting. Default 2 weeks.</summary>
    public uint VotingPeriodSeconds { get; init; } = 14 * 24 * 3600;

    /// <summary>Seconds the Timelock holds a passed proposal before it can execute. Default 1 day.</summary>
    public ulong TimelockDelaySeconds { get; init; } = 24 * 3600;

    /// <summary>gOPEN (wei) needed to propose. Default 100 OPEN.</summary>
    [JsonConverter(typeof(WeiJsonConverter))]
    public BigInteger ProposalThreshold { get; init; } = 100 * Open;

    /// <summary>
    /// Percent of the OPEN supply (recorded at each proposal, not the wrapped gOPEN supply) whose votes must be cast
    /// for or abstain. Default 25.
    /// </summary>
    public int QuorumPercent { get; init; } = 25;

    /// <summary>
    /// An account that may cancel a passed proposal while it waits in the Timelock (the Timelock's canceller role),
    /// such as a security multisig: a veto during the delay, never a way to propose or execute. Governance can revoke
    /// the role with a proposal. Default none.
    /// </summary>
    public string? Guardian { get; init; }

    /// <summary>Seconds an agent waits between requesting and taking out an unspent vault balance. Default 1 day.</summary>
    public ulong WithdrawalDelaySeconds { get; init; } = 24 * 3600;

    /// <summary>OPEN (wei) an agent must stake to be eligible. Default 100 OPEN.</summary>
    [JsonConverter(typeof(WeiJsonConverter))]
    public BigInteger MinimumStake { get; init; } = 100 * Open;

    /// <summary>Seconds between requesting an unstake and withdrawing it. Default 7 days.</summary>
    public ulong UnstakeCooldownSeconds { get; init; } = 7 * 24 * 3600;

    /// <summary>Basis points of a slashed amount paid to the challenger; the rest is burned. Default 2000 (20%).</summary>
    public ushort ChallengerBps { get; init; } = 2000;

    /// <summary>The local chain's settings: voting delay 1 s, voting period 60 s, timelock 60 s, withdrawal delay and unstake cooldown 60 s.</summary>
    public static EconomySettings Local(string settler) => new()
    {
        Settler = settler,
        VotingDelaySeconds = 1,
        VotingPeriodSeconds = 60,
        TimelockDelaySeconds = 60,
        WithdrawalDelaySeconds = 60,
        UnstakeCooldownSeconds = 60,
    };
}
