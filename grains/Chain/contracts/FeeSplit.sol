// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title How every inference fee is divided, in basis points.
/// @notice The off-chain ledger reads these four numbers to split each fee (burn, protocol treasury, model developer,
/// data contributors); keeping them on-chain means a change is public and goes through governance (the Timelock holds
/// GOVERNANCE_ROLE), never a silent config edit. OpenLedger publishes no split: the defaults are OpenLedger Grid's own
/// choice — burn 500 (5%), protocol 1000 (10%), model developer 3500 (35%), data contributors 5000 (50%) — chosen so
/// that the people whose data shaped an answer get the largest part, and governable from day one.
contract FeeSplit is AccessControl {
    /// @notice The role allowed to change the split: the governance Timelock.
    bytes32 public constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");

    /// @notice Basis points in a whole fee.
    uint16 public constant TOTAL_BPS = 10_000;

    /// @notice Default burn share (OpenLedger Grid's own choice).
    uint16 public constant DEFAULT_BURN_BPS = 500;
    /// @notice Default protocol treasury share (OpenLedger Grid's own choice).
    uint16 public constant DEFAULT_PROTOCOL_BPS = 1000;
    /// @notice Default model developer share (OpenLedger Grid's own choice).
    uint16 public constant DEFAULT_MODEL_DEVELOPER_BPS = 3500;
    /// @notice Default data contributors share (OpenLedger Grid's own choice).
    uint16 public constant DEFAULT_DATA_CONTRIBUTORS_BPS = 5000;

    /// @notice Share burned, in basis points.
    uint16 public burnBps;
    /// @notice Share to the protocol treasury, in basis points.
    uint16 public protocolBps;
    /// @notice Share to the model's developer, in basis points.
    uint16 public modelDeveloperBps;
    /// @notice Share to the data contributors, split by attribution, in basis points.
    uint16 public dataContributorsBps;

    /// @notice The four shares do not add up to 10,000 basis points.
    error SplitNotWhole(uint256 sum);
    /// @notice The governance address was zero, which would freeze the split forever.
    error ZeroGovernance();

    /// @notice Emitted whenever the split changes, including at deployment.
    event SplitChanged(uint16 burnBps, uint16 protocolBps, uint16 modelDeveloperBps, uint16 dataContributorsBps);

    /// @param governance the Timelock (or, before governance exists, a bootstrap admin that hands over).
    constructor(address governance) {
        if (governance == address(0)) revert ZeroGovernance();
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        _grantRole(GOVERNANCE_ROLE, governance);
        _setSplit(DEFAULT_BURN_BPS, DEFAULT_PROTOCOL_BPS, DEFAULT_MODEL_DEVELOPER_BPS, DEFAULT_DATA_CONTRIBUTORS_BPS);
    }

    /// @notice Changes the split; only governance, and only to a whole (10,000 bps) split.
    function setSplit(uint16 burn, uint16 protocol, uint16 modelDeveloper, uint16 dataContributors)
        external onlyRole(GOVERNANCE_ROLE)
    {
        _setSplit(burn, protocol, modelDeveloper, dataContributors);
    }

    /// @notice All four shares at once, so a reader sees one consistent split.
    function split() external view returns (uint16, uint16, uint16, uint16) {
        return (burnBps, protocolBps, modelDeveloperBps, dataContributorsBps);
    }

    function _setSplit(uint16 burn, uint16 protocol, uint16 modelDeveloper, uint16 dataContributors) private {
        uint256 sum = uint256(burn) + protocol + modelDeveloper + dataContributors;
        if (sum != TOTAL_BPS) revert SplitNotWhole(sum);
        (burnBps, protocolBps, modelDeveloperBps, dataContributorsBps) = (burn, protocol, modelDeveloper, dataContributors);
        emit SplitChanged(burn, protocol, modelDeveloper, dataContributors);
    }
}
