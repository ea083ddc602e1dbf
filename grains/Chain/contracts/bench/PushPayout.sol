// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title The push baseline of the settlement benchmark: the operator transfers every recipient's payout itself.
/// @notice Benchmark only; the economy never deploys it. It pulls a batch's sum from the caller in one transfer, then
/// sends each recipient its amount with a plain ERC20 transfer, so the operator pays per recipient what
/// AttributionDistributor leaves to the recipients' own claims.
contract PushPayout {
    using SafeERC20 for IERC20;

    /// @notice recipients and amounts differ in length.
    error LengthMismatch(uint256 recipients, uint256 amounts);

    /// @notice Pays `amounts[i]` of `token` to `recipients[i]` for every i, from the caller (approved beforehand).
    function pay(IERC20 token, address[] calldata recipients, uint256[] calldata amounts) external {
        if (recipients.length != amounts.length) revert LengthMismatch(recipients.length, amounts.length);
        uint256 total;
        for (uint256 i = 0; i < amounts.length; i++) {
            total += amounts[i];
        }
        token.safeTransferFrom(msg.sender, address(this), total);
        for (uint256 i = 0; i < recipients.length; i++) {
            token.safeTransfer(recipients[i], amounts[i]);
        }
    }
}
