namespace OpenLedger.Client.Chain;

/// <summary>Why a governance action was refused; <see cref="GovernanceException.Code"/> is its snake_case name.</summary>
public enum GovernanceFailure
{
    /// <summary>The fee split's shares are out of range or do not add up to 10,000 basis points.</summary>
    InvalidFeeSplit,

    /// <summary>A proposal needs a description (it also tells identical proposals apart).</summary>
    MissingDescription,

    /// <summary>An amount was zero or negative.</summary>
    InvalidAmount,

    /// <summary>A text is not an Ethereum address.</summary>
    InvalidAddress,

    /// <summary>The signer holds less OPEN than it asked to wrap.</summary>
    InsufficientOpen,

    /// <summary>The signer's delegated gOPEN votes are below the proposal threshold.</summary>
    NotEnoughVotes,

    /// <summary>The signer's votes were delegated too recently: they count from one second after the delegation.</summary>
    VotesNotYetEffective,

    /// <summary>The same actions with the same description were proposed already.</summary>
    ProposalExists,

    /// <summary>No proposal has this id or number.</summary>
    UnknownProposal,

    /// <summary>The proposal's voting delay has not passed.</summary>
    VotingNotStarted,

    /// <summary>The proposal's voting period is over (or it was cancelled or executed).</summary>
    VotingClosed,

    /// <summary>The signer has voted on this proposal already.</summary>
    AlreadyVoted,

    /// <summary>The signer had no delegated votes at the proposal's snapshot.</summary>
    NoVotingPower,

    /// <summary>The proposal is still pending or being voted on.</summary>
    StillVoting,

    /// <summary>The proposal did not pass: no quorum, or not more votes for than against.</summary>
    ProposalDefeated,

    /// <summary>The proposal passed but is not queued in the Timelock yet.</summary>
    NotQueued,

    /// <summary>The proposal is queued already.</summary>
    AlreadyQueued,

    /// <summary>The proposal is queued and its Timelock delay has not passed.</summary>
    TimelockPending,

    /// <summary>The proposal was executed already.</summary>
    AlreadyExecuted,

    /// <summary>The proposal was cancelled.</summary>
    ProposalCanceled,

    /// <summary>The proposal expired.</summary>
    ProposalExpired,

    /// <summary>The signer does not hold the Timelock's canceller role.</summary>
    NotGuardian,

    /// <summary>The action sends a transaction and no signing key was given.</summary>
    NoSigner,

    /// <summary>The node serves another chain than the deployment record's.</summary>
    ChainMismatch,

    /// <summary>The transaction reverted for a reason the checks before and after it did not find.</summary>
    TransactionReverted,
}
