// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title Prepaid OPEN balances that agents spend on inference.
/// @notice The off-chain ledger charges each inference against an agent's deposit; the chain only sees one settlement
/// per epoch. Design: `settle(epoch, agents, amounts)` (SETTLER_ROLE, epochs strictly in order so a resent
/// transaction cannot settle twice) debits each agent's balance by its epoch total and moves the sum into `released`;
/// the distributor (DISTRIBUTOR_ROLE) then pulls an epoch's total + burn out of `released` with `withdrawForEpoch`.
/// So the vault's token balance always equals the sum of agent balances plus `released`, and nothing leaves without
/// first being debited from an agent. An agent leaves with `requestWithdrawal` then `withdraw` after a delay: the
/// delay gives the settler time to debit the inference the agent already consumed in the open epoch.
contract FeeVault is AccessControl {
    using SafeERC20 for IERC20;

    /// @notice Debits agents for settled epochs.
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    /// @notice Pulls settled fees out (the AttributionDistributor).
    bytes32 public constant DISTRIBUTOR_ROLE = keccak256("DISTRIBUTOR_ROLE");

    /// @notice A pending withdrawal: how much, and from when it may be taken.
    struct Withdrawal {
        uint128 amount;
        uint64 readyAt;
        // The epoch that must be settled first: every inference the agent called before asking is charged by then,
        // so a withdrawal can never leave a settlement short and stall the epochs behind it.
        uint64 afterEpoch;
    }

    /// @notice The OPEN token.
    IERC20 public immutable token;
    /// @notice Seconds between a withdrawal request and the withdrawal.
    uint64 public immutable withdrawalDelay;

    /// @notice Each agent's unspent deposit.
    mapping(address agent => uint256) public balanceOf;
    /// @notice Each agent's pending withdrawal request.
    mapping(address agent => Withdrawal) public pendingWithdrawal;
    /// @notice Debited from agents but not yet pulled by the distributor.
    uint256 public released;
    /// @notice The last epoch settled; the next must be exactly one more.
    uint64 public lastSettledEpoch;

    /// @notice The amount was zero.
    error ZeroAmount();
    /// @notice The agent's balance is smaller than asked.
    error InsufficientBalance(address agent, uint256 balance, uint256 requested);
    /// @notice No withdrawal was requested.
    error NoWithdrawalRequested(address agent);
    /// @notice The withdrawal delay has not passed.
    error WithdrawalNotReady(address agent, uint64 readyAt);
    /// @notice The withdrawal waits until epoch `epoch` is settled.
    error WithdrawalAwaitsSettlement(address agent, uint64 epoch);
    /// @notice The epoch is not lastSettledEpoch + 1.
    error EpochOutOfOrder(uint64 expected, uint64 given);
    /// @notice agents and amounts differ in length.
    error LengthMismatch(uint256 agents, uint256 amounts);
    /// @notice More was asked than was settled.
    error InsufficientReleased(uint256 released, uint256 requested);

    /// @notice An agent deposited OPEN.
    event Deposited(address indexed agent, uint256 amount, uint256 balance);
    /// @notice An agent asked to withdraw; it may do so from readyAt.
    event WithdrawalRequested(address indexed agent, uint256 amount, uint64 readyAt);
    /// @notice An agent withdrew unspent OPEN.
    event Withdrawn(address indexed agent, uint256 amount);
    /// @notice An agent's balance was debited for a settled epoch.
    event Debited(uint64 indexed epoch, address indexed agent, uint256 amount);
    /// @notice An epoch was settled; total moved to `released`.
    event EpochSettled(uint64 indexed epoch, uint256 total, uint256 agents);
    /// @notice The distributor pulled settled fees.
    event ReleasedForEpoch(address indexed to, uint256 amount);

    /// @param token_ OPEN.
    /// @param admin holds DEFAULT_ADMIN_ROLE (the Timelock, or a deployer that wires roles and hands over).
    /// @param withdrawalDelay_ seconds an agent waits between requesting and taking a withdrawal.
    constructor(IERC20 token_, address admin, uint64 withdrawalDelay_) {
        token = token_;
        withdrawalDelay = withdrawalDelay_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Deposits `amount` OPEN (approved beforehand) to the caller's balance.
    function deposit(uint256 amount) public {
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 balance = balanceOf[msg.sender] + amount;
        balanceOf[msg.sender] = balance;
        emit Deposited(msg.sender, amount, balance);
    }

    /// @notice Approves with an EIP-2612 permit and deposits in one transaction. A permit already used (front-run)
    /// is tolerated when the allowance is there anyway.
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        deposit(amount);
    }

    /// @notice Starts the delay for withdrawing `amount`; a new request replaces the old one and restarts the delay.
    function requestWithdrawal(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 balance = balanceOf[msg.sender];
        if (amount > balance) revert InsufficientBalance(msg.sender, balance, amount);
        uint64 readyAt = uint64(block.timestamp) + withdrawalDelay;
        // Calls already made are charged in the open epoch or, if they land after its close, in the next one.
        pendingWithdrawal[msg.sender] = Withdrawal(uint128(amount), readyAt, lastSettledEpoch + 2);
        emit WithdrawalRequested(msg.sender, amount, readyAt);
    }

    /// @notice Takes the requested withdrawal after the delay and once the epochs it could still be charged in are
    /// settled; capped by what is left unspent after settlements debited in the meantime.
    function withdraw() external {
        Withdrawal memory request = pendingWithdrawal[msg.sender];
        if (request.amount == 0) revert NoWithdrawalRequested(msg.sender);
        if (block.timestamp < request.readyAt) revert WithdrawalNotReady(msg.sender, request.readyAt);
        if (lastSettledEpoch < request.afterEpoch) revert WithdrawalAwaitsSettlement(msg.sender, request.afterEpoch);
        uint256 balance = balanceOf[msg.sender];
        uint256 amount = request.amount < balance ? request.amount : balance;
        delete pendingWithdrawal[msg.sender];
        balanceOf[msg.sender] = balance - amount;
        if (amount > 0) token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    /// @notice Debits each agent its epoch total (as the off-chain ledger charged it) and moves the sum to `released`.
    /// Only for lastSettledEpoch + 1, so a resent transaction reverts instead of debiting twice.
    function settle(uint64 epoch, address[] calldata agents, uint256[] calldata amounts)
        external onlyRole(SETTLER_ROLE)
    {
        if (epoch != lastSettledEpoch + 1) revert EpochOutOfOrder(lastSettledEpoch + 1, epoch);
        if (agents.length != amounts.length) revert LengthMismatch(agents.length, amounts.length);
        uint256 total;
        for (uint256 i = 0; i < agents.length; i++) {
            address agent = agents[i];
            uint256 amount = amounts[i];
            uint256 balance = balanceOf[agent];
            if (amount > balance) revert InsufficientBalance(agent, balance, amount);
            balanceOf[agent] = balance - amount;
            total += amount;
            emit Debited(epoch, agent, amount);
        }
        lastSettledEpoch = epoch;
        released += total;
        emit EpochSettled(epoch, total, agents.length);
    }

    /// @notice Moves `amount` of settled fees to `to`; called by the distributor when it posts an epoch.
    function withdrawForEpoch(uint256 amount, address to) external onlyRole(DISTRIBUTOR_ROLE) {
        uint256 available = released;
        if (amount > available) revert InsufficientReleased(available, amount);
        released = available - amount;
        token.safeTransfer(to, amount);
        emit ReleasedForEpoch(to, amount);
    }
}
