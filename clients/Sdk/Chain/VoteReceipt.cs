using OpenLedger.Economy;
using System.Numerics;
using System.Text.Json.Serialization;

namespace OpenLedger.Client.Chain;

/// <summary>A vote that was cast: how, with what weight, and the proposal's tally afterwards.</summary>
/// <param name="TransactionHash">The transaction.</param>
/// <param name="GasUsed">Gas it used.</param>
/// <param name="Support">For, against or abstain.</param>
/// <param name="Weight">The gOPEN votes (wei) it counted: those delegated to the voter at the proposal's snapshot.</param>
/// <param name="Proposal">The proposal afterwards.</param>
public sealed record VoteReceipt(
    string TransactionHash, ulong GasUsed, VoteSupport Support,
    [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger Weight, GovernanceProposal Proposal);
