namespace OpenLedger.Client.Chain;

/// <summary>How a vote is cast, with the values OpenZeppelin's GovernorCountingSimple counts.</summary>
public enum VoteSupport
{
    /// <summary>Against the proposal.</summary>
    Against = 0,

    /// <summary>For the proposal.</summary>
    For = 1,

    /// <summary>Neither, but counted toward the quorum.</summary>
    Abstain = 2,
}
