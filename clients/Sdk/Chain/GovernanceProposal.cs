using OpenLedger.Economy;
using System.Numerics;
using System.Text.Json.Serialization;

namespace OpenLedger.Client.Chain;

/// <summary>A proposal as the governor records it, with its tally and the quorum it must reach.</summary>
/// <param name="Id">The governor's proposal id (a hash of the actions and description).</param>
/// <param name="Number">Its place among the governor's proposals, from 1.</param>
/// <param name="State">
/// Its state at <paramref name="AsOf"/>: the later of the chain's latest block time and the wall clock, since a local
/// chain mines blocks only when sent a transaction and its latest block can be minutes old.
/// </param>
/// <param name="Proposer">The account that proposed it.</param>
/// <param name="Description">What the proposer wrote (from the ProposalCreated event; null if the node no longer serves it).</param>
/// <param name="VoteStart">The snapshot (unix seconds): votes are counted as delegated then; voting opens just after.</param>
/// <param name="VoteEnd">The last second of voting (unix seconds).</param>
/// <param name="Eta">When the Timelock lets it execute (unix seconds); 0 until queued.</param>
/// <param name="ForVotes">gOPEN (wei) for.</param>
/// <param name="AgainstVotes">gOPEN (wei) against.</param>
/// <param name="AbstainVotes">gOPEN (wei) abstaining (counted toward the quorum).</param>
/// <param name="Quorum">Votes for plus abstain needed (wei): 25% of the OPEN supply recorded at the snapshot by default.</param>
/// <param name="Actions">The calls it makes.</param>
/// <param name="FeeSplit">The split it sets, when it is a single FeeSplit.setSplit call on the economy's FeeSplit.</param>
/// <param name="AsOf">The time (unix seconds) <paramref name="State"/> is evaluated at.</param>
public sealed record GovernanceProposal(
    [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger Id,
    int? Number,
    ProposalState State,
    string Proposer,
    string? Description,
    ulong VoteStart,
    ulong VoteEnd,
    ulong Eta,
    [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger ForVotes,
    [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger AgainstVotes,
    [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger AbstainVotes,
    [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger Quorum,
    IReadOnlyList<ProposalAction> Actions,
    FeeSplitChange? FeeSplit,
    ulong AsOf)
{
    /// <summary>True when the votes for plus abstaining reach the quorum.</summary>
    public bool QuorumReached => ForVotes + AbstainVotes >= Quorum;
}
