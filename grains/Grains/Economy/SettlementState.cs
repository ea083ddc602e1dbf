using OpenLedger.Agents;
using OpenLedger.Economy;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// The settlement grain as stored: every closed epoch with what its transactions need, and the signer's outbox (the
/// raw signed transactions and the next nonce) in the same write, so the two can never disagree after a crash.
/// </summary>
[GenerateSerializer, Alias("OpenLedger.SettlementState")]
public sealed class SettlementState
{
    /// <summary>Closed epochs, oldest first.</summary>
    [Id(0)] public List<ClosedEpoch> Epochs { get; set; } = [];

    /// <summary>The outbox entries as JSON (the engine's records carry no Orleans attributes), by purpose.</summary>
    [Id(1)] public Dictionary<string, string> Outbox { get; set; } = [];

    /// <summary>The next nonce the signer gives out, decimal; null before the first transaction.</summary>
    [Id(2)] public string? NextNonce { get; set; }

    /// <summary>Slashes taken on evidence, oldest first.</summary>
    [Id(3)] public List<SlashEntry> Slashes { get; set; } = [];
}

/// <summary>A slash as proposed and where it stands.</summary>
[GenerateSerializer, Alias("OpenLedger.SlashEntry")]
public sealed class SlashEntry
{
    /// <summary>What the agent grain asked for.</summary>
    [Id(0)] public SlashProposal Proposal { get; set; } = null!;

    /// <summary>Where it stands.</summary>
    [Id(1)] public SlashOutcome Outcome { get; set; } = null!;
}

/// <summary>A closed epoch: its summary and the agents' debits the vault settlement sends.</summary>
[GenerateSerializer, Alias("OpenLedger.ClosedEpoch")]
public sealed class ClosedEpoch
{
    /// <summary>The epoch as reported.</summary>
    [Id(0)] public EpochSummary Summary { get; set; } = null!;

    /// <summary>Agents debited, ordered by address.</summary>
    [Id(1)] public List<string> Agents { get; set; } = [];

    /// <summary>Each agent's debit, decimal wei, in the order of <see cref="Agents"/>.</summary>
    [Id(2)] public List<string> Debits { get; set; } = [];
}
