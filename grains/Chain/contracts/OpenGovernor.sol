// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from
    "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @title The grid's governor: gOPEN holders propose and vote; the Timelock executes.
/// @notice OpenZeppelin's Governor with OpenLedger's published parameters as the defaults below (proposal threshold
/// 100 OPEN, voting delay 1 day, voting period 2 weeks, quorum 25%, timelock 1 day, the last set on the
/// TimelockController). They are constructor parameters so a local chain can shorten them; the votes token's clock is
/// the timestamp, so delays and periods are in seconds. The Timelock, not this contract, holds the protocol's roles
/// (fee split governance, settler and slasher admin, registry admin): every change waits out its delay in public.
contract OpenGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    /// @notice OpenLedger's published proposal threshold: 100 OPEN (in wei of gOPEN).
    uint256 public constant DEFAULT_PROPOSAL_THRESHOLD = 100 * 10 ** 18;
    /// @notice OpenLedger's published voting delay: 1 day, in seconds.
    uint48 public constant DEFAULT_VOTING_DELAY = 1 days;
    /// @notice OpenLedger's published voting period: 2 weeks, in seconds.
    uint32 public constant DEFAULT_VOTING_PERIOD = 2 weeks;
    /// @notice OpenLedger's published quorum: 25% of the gOPEN supply.
    uint256 public constant DEFAULT_QUORUM_PERCENT = 25;
    /// @notice OpenLedger's published timelock delay, for the TimelockController: 1 day, in seconds.
    uint256 public constant DEFAULT_TIMELOCK_DELAY = 1 days;

    /// @param token gOPEN (OpenVotes).
    /// @param timelock the TimelockController that executes; this contract needs its proposer and canceller roles.
    /// @param votingDelay_ seconds between proposing and voting (DEFAULT_VOTING_DELAY on a real chain).
    /// @param votingPeriod_ seconds of voting (DEFAULT_VOTING_PERIOD on a real chain).
    /// @param proposalThreshold_ gOPEN needed to propose (DEFAULT_PROPOSAL_THRESHOLD on a real chain).
    /// @param quorumPercent percent of the supply that must vote for or abstain (DEFAULT_QUORUM_PERCENT).
    constructor(
        IVotes token,
        TimelockController timelock,
        uint48 votingDelay_,
        uint32 votingPeriod_,
        uint256 proposalThreshold_,
        uint256 quorumPercent
    )
        Governor("OpenLedger Governor")
        GovernorSettings(votingDelay_, votingPeriod_, proposalThreshold_)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorTimelockControl(timelock)
    {}

    /// @inheritdoc Governor
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @inheritdoc Governor
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @inheritdoc Governor
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(timepoint);
    }

    /// @inheritdoc Governor
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @inheritdoc Governor
    function proposalNeedsQueuing(uint256 proposalId)
        public view override(Governor, GovernorTimelockControl) returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc Governor
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
