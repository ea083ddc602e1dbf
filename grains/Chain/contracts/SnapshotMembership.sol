// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @notice Checks that a contribution belongs to a Datanet snapshot, given the snapshot's Merkle root.
/// Leaves are OpenZeppelin standard leaves: keccak256(bytes.concat(keccak256(abi.encode(...)))), inner nodes hash
/// sorted pairs, exactly as the grid's snapshot engine builds them.
library SnapshotMembership {
    function leaf(bytes32 payloadHash, address contributor, uint256 sizeBytes, uint256 recordCount)
        internal pure returns (bytes32)
    {
        return keccak256(bytes.concat(keccak256(abi.encode(payloadHash, contributor, sizeBytes, recordCount))));
    }

    function isMember(
        bytes32 root,
        bytes32[] memory proof,
        bytes32 payloadHash,
        address contributor,
        uint256 sizeBytes,
        uint256 recordCount
    ) internal pure returns (bool) {
        return MerkleProof.verify(proof, root, leaf(payloadHash, contributor, sizeBytes, recordCount));
    }
}

/// @notice A deployable view over the library, so off-chain code and tests can ask the chain itself.
contract SnapshotMembershipVerifier {
    function leaf(bytes32 payloadHash, address contributor, uint256 sizeBytes, uint256 recordCount)
        external pure returns (bytes32)
    {
        return SnapshotMembership.leaf(payloadHash, contributor, sizeBytes, recordCount);
    }

    function isMember(
        bytes32 root,
        bytes32[] calldata proof,
        bytes32 payloadHash,
        address contributor,
        uint256 sizeBytes,
        uint256 recordCount
    ) external pure returns (bool) {
        return SnapshotMembership.isMember(root, proof, payloadHash, contributor, sizeBytes, recordCount);
    }
}
