namespace OpenLedger.Client.Chain;

/// <summary>Where a proposal is in its life, with the values of OpenZeppelin's <c>IGovernor.ProposalState</c>.</summary>
public enum ProposalState
{
    /// <summary>Made; voting has not opened yet (the voting delay).</summary>
    Pending = 0,

    /// <summary>Voting is open.</summary>
    Active = 1,

    /// <summary>Cancelled, by its proposer before voting or by a canceller (the guardian) in the Timelock.</summary>
    Canceled = 2,

    /// <summary>Voting closed without a quorum or without more votes for than against.</summary>
    Defeated = 3,

    /// <summary>Voting closed and the proposal passed; it can be queued in the Timelock.</summary>
    Succeeded = 4,

    /// <summary>Waiting out the Timelock's delay; executable once its ETA has passed.</summary>
    Queued = 5,

    /// <summary>Too late to execute (unused by a Timelock-controlled governor).</summary>
    Expired = 6,

    /// <summary>Executed: its calls were made by the Timelock.</summary>
    Executed = 7,
}
