// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// @title OPEN staked by agents as a bond for good behaviour.
/// @notice An agent must keep `minimumStake` staked to serve. Unstaking waits a cooldown so that a misbehaving agent
/// cannot pull its bond out before the evidence lands: stake that is cooling down can still be slashed. A slash
/// (SLASHER_ROLE, the Timelock or a role it grants) pays `challengerBps` of the amount to whoever brought the evidence
/// and burns the rest, so slashing never enriches the protocol itself.
contract AgentStaking is AccessControl {
    using SafeERC20 for IERC20;

    /// @notice Slashes agents on evidence.
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");

    /// @notice Stake on its way out.
    struct Unstake {
        uint128 amount;
        uint64 readyAt;
    }

    /// @notice OPEN (burnable).
    IERC20 public immutable token;
    /// @notice Seconds between requesting an unstake and withdrawing it.
    uint64 public immutable cooldown;
    /// @notice The challenger's part of a slash, in basis points; the rest is burned.
    uint16 public immutable challengerBps;
    /// @notice The stake an agent needs to serve.
    uint256 public immutable minimumStake;

    mapping(address agent => uint256) private _stakes;
    /// @notice Each agent's stake cooling down.
    mapping(address agent => Unstake) public pendingUnstake;

    /// @notice The amount was zero.
    error ZeroAmount();
    /// @notice The agent's active stake is smaller than asked.
    error InsufficientStake(address agent, uint256 stake, uint256 requested);
    /// @notice Nothing is cooling down for the agent.
    error NothingToWithdraw(address agent);
    /// @notice The cooldown has not passed.
    error CooldownNotOver(address agent, uint64 readyAt);
    /// @notice challengerBps above 10,000.
    error InvalidBps(uint256 bps);
    /// @notice The challenger was the zero address.
    error ZeroChallenger();

    /// @notice An agent staked.
    event Staked(address indexed agent, uint256 amount, uint256 stake);
    /// @notice An agent started unstaking; it may withdraw from readyAt.
    event UnstakeRequested(address indexed agent, uint256 amount, uint64 readyAt);
    /// @notice An agent withdrew stake after the cooldown.
    event Withdrawn(address indexed agent, uint256 amount);
    /// @notice An agent was slashed on evidence; `toChallenger` paid, `burned` burned.
    event Slashed(address indexed agent, bytes32 indexed evidenceHash, address indexed challenger,
        uint256 amount, uint256 toChallenger, uint256 burned);

    /// @param token_ OPEN.
    /// @param admin holds DEFAULT_ADMIN_ROLE (the Timelock, or a deployer that wires roles and hands over).
    /// @param minimumStake_ the stake an agent needs to serve.
    /// @param cooldown_ seconds an unstake waits.
    /// @param challengerBps_ the challenger's part of a slash in basis points.
    constructor(IERC20 token_, address admin, uint256 minimumStake_, uint64 cooldown_, uint16 challengerBps_) {
        if (challengerBps_ > 10_000) revert InvalidBps(challengerBps_);
        token = token_;
        minimumStake = minimumStake_;
        cooldown = cooldown_;
        challengerBps = challengerBps_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Stakes `amount` OPEN (approved beforehand).
    function stake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 total = _stakes[msg.sender] + amount;
        _stakes[msg.sender] = total;
        emit Staked(msg.sender, amount, total);
    }

    /// @notice Moves `amount` of active stake into the cooldown; adds to what is already cooling and restarts it.
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 current = _stakes[msg.sender];
        if (amount > current) revert InsufficientStake(msg.sender, current, amount);
        _stakes[msg.sender] = current - amount;
        Unstake storage pending = pendingUnstake[msg.sender];
        uint64 readyAt = uint64(block.timestamp) + cooldown;
        pending.amount += uint128(amount);
        pending.readyAt = readyAt;
        emit UnstakeRequested(msg.sender, amount, readyAt);
    }

    /// @notice Withdraws the stake whose cooldown is over.
    function withdraw() external {
        Unstake memory pending = pendingUnstake[msg.sender];
        if (pending.amount == 0) revert NothingToWithdraw(msg.sender);
        if (block.timestamp < pending.readyAt) revert CooldownNotOver(msg.sender, pending.readyAt);
        delete pendingUnstake[msg.sender];
        token.safeTransfer(msg.sender, pending.amount);
        emit Withdrawn(msg.sender, pending.amount);
    }

    /// @notice Slashes `amount` from the agent (active stake first, then stake cooling down): `challengerBps` to the
    /// challenger, the rest burned. `evidenceHash` names the evidence kept off-chain.
    function slash(address agent, uint256 amount, bytes32 evidenceHash, address challenger)
        external onlyRole(SLASHER_ROLE)
    {
        if (amount == 0) revert ZeroAmount();
        if (challenger == address(0)) revert ZeroChallenger();
        uint256 active = _stakes[agent];
        uint256 cooling = pendingUnstake[agent].amount;
        if (amount > active + cooling) revert InsufficientStake(agent, active + cooling, amount);
        if (amount <= active) {
            _stakes[agent] = active - amount;
        } else {
            _stakes[agent] = 0;
            pendingUnstake[agent].amount = uint128(cooling - (amount - active));
        }
        uint256 toChallenger = amount * challengerBps / 10_000;
        uint256 burned = amount - toChallenger;
        if (toChallenger > 0) token.safeTransfer(challenger, toChallenger);
        if (burned > 0) ERC20Burnable(address(token)).burn(burned);
        emit Slashed(agent, evidenceHash, challenger, amount, toChallenger, burned);
    }

    /// @notice The agent's active stake (not counting stake cooling down).
    function stakeOf(address agent) external view returns (uint256) {
        return _stakes[agent];
    }

    /// @notice True when the agent's active stake reaches the minimum.
    function isEligible(address agent) external view returns (bool) {
        return _stakes[agent] >= minimumStake;
    }
}
