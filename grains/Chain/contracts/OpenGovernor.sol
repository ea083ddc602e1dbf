// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorStorage} from "@openzeppelin/contracts/governance/extensions/GovernorStorage.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from
    "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Wrapper} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Wrapper.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title The grid's governor: gOPEN holders propose and vote; the Timelock executes.
/// @notice OpenZeppelin's Governor with OpenLedger's published parameters as the defaults below (proposal threshold
/// 100 OPEN, voting delay 1 day, voting period 2 weeks, quorum 25%, timelock 1 day, the last set on the
/// TimelockController). They are constructor parameters so a local chain can shorten them; the votes token's clock is
/// the timestamp, so delays and periods are in seconds. The Timelock, not this contract, holds the protocol's roles
/// (fee split governance, settler and slasher admin, registry admin): every change waits out its delay in public.
///
/// Quorum is measured against the OPEN supply, not the gOPEN supply. Stock GovernorVotesQuorumFraction takes a
/// fraction of the votes token's own supply, and only wrapped OPEN is gOPEN: with little wrapped (none at deployment),
/// whoever wraps 100 OPEN would be a quorum alone. Here quorum(t) = quorumNumerator(t)% of the OPEN supply recorded at
/// or before t. OPEN has no supply checkpoints, so this contract records OPEN's totalSupply at deployment and at every
/// proposal (keyed by the clock at that moment); a proposal's quorum reads the record at its snapshot. Recording at
/// proposal time, rather than reading the current supply, matters because OPEN's supply only falls (fee and slash
/// burns): with the current supply, a narrowly defeated proposal would turn Succeeded, and become queueable, once
/// enough OPEN had been burned since. A record is keyed by a time before the proposal's snapshot, and no later record
/// can be keyed at or before a snapshot that has passed, so a proposal's quorum is fixed before its voting starts. The
/// recorded supply is never below the supply at the snapshot (it can only fall in between), so the quorum is never
/// easier than 25% of the OPEN in existence when the votes were counted. OPEN locked in contracts (vault, staking,
/// distributor) counts toward the supply but cannot vote: governance needs a quarter of all OPEN wrapped and delegated,
/// which is the point.
contract OpenGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorStorage,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    using Checkpoints for Checkpoints.Trace208;

    /// @notice OpenLedger's published proposal threshold: 100 OPEN (in wei of gOPEN).
    uint256 public constant DEFAULT_PROPOSAL_THRESHOLD = 100 * 10 ** 18;
    /// @notice OpenLedger's published voting delay: 1 day, in seconds.
    uint48 public constant DEFAULT_VOTING_DELAY = 1 days;
    /// @notice OpenLedger's published voting period: 2 weeks, in seconds.
    uint32 public constant DEFAULT_VOTING_PERIOD = 2 weeks;
    /// @notice OpenLedger's published quorum: 25%, here of the OPEN supply (see the contract's notice).
    uint256 public constant DEFAULT_QUORUM_PERCENT = 25;
    /// @notice OpenLedger's published timelock delay, for the TimelockController: 1 day, in seconds.
    uint256 public constant DEFAULT_TIMELOCK_DELAY = 1 days;

    /// @notice OPEN, the token gOPEN wraps: quorum is a fraction of its supply.
    IERC20 public immutable open;

    /// @notice OPEN's totalSupply as recorded at deployment and at each proposal, keyed by the clock.
    Checkpoints.Trace208 private _openSupplyHistory;

    /// @param token gOPEN (OpenVotes, an ERC20Wrapper: its underlying token is OPEN).
    /// @param timelock the TimelockController that executes; this contract needs its proposer and canceller roles.
    /// @param votingDelay_ seconds between proposing and voting (DEFAULT_VOTING_DELAY on a real chain).
    /// @param votingPeriod_ seconds of voting (DEFAULT_VOTING_PERIOD on a real chain).
    /// @param proposalThreshold_ gOPEN needed to propose (DEFAULT_PROPOSAL_THRESHOLD on a real chain).
    /// @param quorumPercent percent of the OPEN supply that must vote for or abstain (DEFAULT_QUORUM_PERCENT).
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
    {
        open = ERC20Wrapper(address(token)).underlying();
        _recordOpenSupply();
    }

    /// @notice The OPEN supply the quorum at `timepoint` is measured against: the last record at or before it.
    function openSupplyAt(uint256 timepoint) public view returns (uint256) {
        return _openSupplyHistory.upperLookupRecent(SafeCast.toUint48(timepoint));
    }

    /// @inheritdoc Governor
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @inheritdoc Governor
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @notice Votes (for plus abstain) a proposal with this snapshot needs: quorumNumerator(timepoint) percent of
    /// the OPEN supply recorded at or before `timepoint` (see the contract's notice), not of the gOPEN supply.
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return Math.mulDiv(openSupplyAt(timepoint), quorumNumerator(timepoint), quorumDenominator());
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

    /// @dev Records OPEN's supply before the proposal is stored, so its snapshot has a record at or before it.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorStorage) returns (uint256) {
        _recordOpenSupply();
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function _recordOpenSupply() private {
        _openSupplyHistory.push(clock(), SafeCast.toUint208(open.totalSupply()));
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
