namespace OpenLedger.Client.Chain;

/// <summary>A governance transaction that was mined and succeeded, and the proposal as it stands after it.</summary>
/// <param name="TransactionHash">The transaction.</param>
/// <param name="GasUsed">Gas it used.</param>
/// <param name="Proposal">The proposal afterwards.</param>
public sealed record GovernanceReceipt(string TransactionHash, ulong GasUsed, GovernanceProposal Proposal);
