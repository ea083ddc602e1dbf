// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title Who owns each Datanet, model, adapter and agent, and the roots anchored for them.
/// @notice The grid keeps content off-chain and puts its commitments here: an entry's content hash and owner, and a
/// history of anchored Merkle roots (Datanet snapshots, model provenance, batches of attribution records) so anyone
/// can check a proof against the chain. An entry's owner alone updates it; roots are anchored by the owner or by
/// ANCHOR_ROLE (the settlement grain anchors attribution batches, which have no owner entry). The Timelock is admin.
contract Registry is AccessControl {
    /// @notice May anchor roots for any kind and id.
    bytes32 public constant ANCHOR_ROLE = keccak256("ANCHOR_ROLE");

    /// @notice What an entry is. AttributionBatch ids are epochs; they are anchored, not registered.
    enum Kind {
        Datanet,
        Model,
        Adapter,
        Agent,
        AttributionBatch
    }

    /// @notice A registered entry.
    struct Entry {
        address owner;
        uint64 registeredAt;
        bytes32 contentHash;
    }

    /// @notice One anchored root.
    struct Anchor {
        bytes32 root;
        uint64 timestamp;
        address by;
    }

    mapping(Kind => mapping(bytes32 id => Entry)) private _entries;
    mapping(Kind => mapping(bytes32 id => Anchor[])) private _anchors;

    /// @notice The id is already registered.
    error AlreadyRegistered(Kind kind, bytes32 id, address owner);
    /// @notice This kind is anchored by the grid, never registered.
    error NotRegistrable(Kind kind);
    /// @notice The id is not registered.
    error NotRegistered(Kind kind, bytes32 id);
    /// @notice The caller is not the entry's owner.
    error NotOwner(Kind kind, bytes32 id, address caller);
    /// @notice The caller may not anchor for this entry.
    error NotAnchorer(Kind kind, bytes32 id, address caller);
    /// @notice A zero content hash, root or owner.
    error ZeroValue();
    /// @notice No anchor at that index.
    error NoAnchor(Kind kind, bytes32 id, uint256 index);

    /// @notice An entry was registered.
    event Registered(Kind indexed kind, bytes32 indexed id, address indexed owner, bytes32 contentHash);
    /// @notice An entry's content hash changed.
    event Updated(Kind indexed kind, bytes32 indexed id, bytes32 contentHash);
    /// @notice An entry changed hands.
    event OwnershipTransferred(Kind indexed kind, bytes32 indexed id, address indexed previousOwner, address newOwner);
    /// @notice A root was anchored; `index` is its position in the entry's history.
    event Anchored(Kind indexed kind, bytes32 indexed id, bytes32 indexed root, uint256 index, address by);

    /// @param admin holds DEFAULT_ADMIN_ROLE (the Timelock, or a deployer that wires roles and hands over).
    constructor(address admin) {
        if (admin == address(0)) revert ZeroValue();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Registers (kind, id) with the caller as owner.
    function register(Kind kind, bytes32 id, bytes32 contentHash) external {
        if (contentHash == bytes32(0)) revert ZeroValue();
        // Attribution batches belong to the grid: nobody may own one and anchor roots for it.
        if (kind == Kind.AttributionBatch) revert NotRegistrable(kind);
        Entry storage entry = _entries[kind][id];
        if (entry.owner != address(0)) revert AlreadyRegistered(kind, id, entry.owner);
        _entries[kind][id] = Entry(msg.sender, uint64(block.timestamp), contentHash);
        emit Registered(kind, id, msg.sender, contentHash);
    }

    /// @notice Changes the content hash; only the owner.
    function update(Kind kind, bytes32 id, bytes32 contentHash) external {
        if (contentHash == bytes32(0)) revert ZeroValue();
        Entry storage entry = _ownedEntry(kind, id);
        entry.contentHash = contentHash;
        emit Updated(kind, id, contentHash);
    }

    /// @notice Hands the entry to `newOwner`; only the owner.
    function transferOwnership(Kind kind, bytes32 id, address newOwner) external {
        if (newOwner == address(0)) revert ZeroValue();
        Entry storage entry = _ownedEntry(kind, id);
        emit OwnershipTransferred(kind, id, entry.owner, newOwner);
        entry.owner = newOwner;
    }

    /// @notice Anchors `root` for (kind, id); by ANCHOR_ROLE, or by the entry's owner.
    function anchor(Kind kind, bytes32 id, bytes32 root) external {
        if (root == bytes32(0)) revert ZeroValue();
        bool owner = kind != Kind.AttributionBatch && _entries[kind][id].owner == msg.sender;
        if (!hasRole(ANCHOR_ROLE, msg.sender) && !owner) {
            revert NotAnchorer(kind, id, msg.sender);
        }
        Anchor[] storage history = _anchors[kind][id];
        history.push(Anchor(root, uint64(block.timestamp), msg.sender));
        emit Anchored(kind, id, root, history.length - 1, msg.sender);
    }

    /// @notice The entry for (kind, id); owner zero when unregistered.
    function entryOf(Kind kind, bytes32 id) external view returns (Entry memory) {
        return _entries[kind][id];
    }

    /// @notice How many roots were anchored for (kind, id).
    function anchorCount(Kind kind, bytes32 id) external view returns (uint256) {
        return _anchors[kind][id].length;
    }

    /// @notice The root anchored at `index` for (kind, id).
    function anchorAt(Kind kind, bytes32 id, uint256 index) external view returns (Anchor memory) {
        Anchor[] storage history = _anchors[kind][id];
        if (index >= history.length) revert NoAnchor(kind, id, index);
        return history[index];
    }

    /// @notice The latest root anchored for (kind, id).
    function latestAnchor(Kind kind, bytes32 id) external view returns (Anchor memory) {
        Anchor[] storage history = _anchors[kind][id];
        if (history.length == 0) revert NoAnchor(kind, id, 0);
        return history[history.length - 1];
    }

    /// @notice True when `root` was ever anchored for (kind, id) — what `attribution verify` asks.
    function isAnchored(Kind kind, bytes32 id, bytes32 root) external view returns (bool) {
        Anchor[] storage history = _anchors[kind][id];
        for (uint256 i = history.length; i > 0; i--) {
            if (history[i - 1].root == root) return true;
        }
        return false;
    }

    function _ownedEntry(Kind kind, bytes32 id) private view returns (Entry storage entry) {
        entry = _entries[kind][id];
        if (entry.owner == address(0)) revert NotRegistered(kind, id);
        if (entry.owner != msg.sender) revert NotOwner(kind, id, msg.sender);
    }
}
