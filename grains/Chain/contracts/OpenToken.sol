// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// @title OPEN, the grid's fee, reward and staking token.
/// @notice OpenLedger publishes OPEN as an ERC20 with a fixed supply of 1,000,000,000 tokens (18 decimals) minted
/// once. This contract mints that supply to one recipient in its constructor and has no mint function at all, so the
/// supply can only fall (fee burns and slashing burn through ERC20Burnable). Permit lets agents approve the FeeVault
/// and the staking contract with a signature instead of a separate approve transaction.
contract OpenToken is ERC20, ERC20Permit, ERC20Burnable {
    /// @notice The whole supply, minted once: 1,000,000,000 OPEN in wei.
    uint256 public constant FIXED_SUPPLY = 1_000_000_000 * 10 ** 18;

    /// @notice The recipient was the zero address, which would burn the supply at birth.
    error ZeroRecipient();

    /// @notice Emitted once, when the fixed supply is minted.
    event SupplyMinted(address indexed recipient, uint256 amount);

    /// @param recipient receives the whole fixed supply (a treasury or the deployer, who distributes it).
    constructor(address recipient) ERC20("OpenLedger", "OPEN") ERC20Permit("OpenLedger") {
        if (recipient == address(0)) revert ZeroRecipient();
        _mint(recipient, FIXED_SUPPLY);
        emit SupplyMinted(recipient, FIXED_SUPPLY);
    }
}
