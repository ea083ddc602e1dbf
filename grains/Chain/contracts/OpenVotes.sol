// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20, ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {ERC20Wrapper} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Wrapper.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title gOPEN: OPEN wrapped 1:1 into a votes token.
/// @notice OPEN has a fixed supply and no vote checkpoints, so, as OpenLedger does, governance wraps it: deposit OPEN,
/// get gOPEN with ERC20Votes checkpoints, unwrap any time. The clock is the block timestamp (ERC-6372
/// "mode=timestamp") rather than the block number: governance periods are stated in days, and a local ganache chain
/// mines blocks only on demand, so seconds are the unit that means the same on every chain (and evm_increaseTime
/// moves it in tests).
contract OpenVotes is ERC20, ERC20Permit, ERC20Votes, ERC20Wrapper {
    /// @param open the OPEN token being wrapped.
    constructor(IERC20 open) ERC20("OpenLedger Governance", "gOPEN") ERC20Permit("OpenLedger Governance") ERC20Wrapper(open) {}

    /// @notice The timestamp clock (ERC-6372).
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice Says the clock is the timestamp (ERC-6372).
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice The wrapped token's decimals (18).
    function decimals() public view override(ERC20, ERC20Wrapper) returns (uint8) {
        return super.decimals();
    }

    /// @notice Permit and votes share one nonce per owner.
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
