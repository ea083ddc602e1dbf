// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {FeeVault} from "./FeeVault.sol";

/// @title Pays attribution rewards with one cumulative Merkle root per epoch.
/// @notice Pushing a transfer to every contributor costs the operator ~26k gas each (a million contributors would
/// fill hundreds of blocks); here the settler posts one root per epoch, constant in the number of recipients, and each
/// recipient claims when it likes. Leaves hold cumulative amounts (1inch CumulativeMerkleDrop, Merkl), so only the
/// latest root matters and one claim covers every past epoch: a claim pays `cumulativeAmount - claimed[account]`.
/// Leaf: keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount)))), inner nodes hash sorted pairs
/// (OpenZeppelin's MerkleProof), as the grid's off-chain trees build them.
contract AttributionDistributor is AccessControl, EIP712, Nonces {
    using SafeERC20 for IERC20;

    /// @notice Posts epochs (the settlement grain's key; granted by the Timelock).
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");

    /// @notice The EIP-712 type a relayed claim is signed with. The proof is not signed: the account authorises
    /// "pay up to cumulativeAmount to `to`", whichever root proves it.
    bytes32 public constant CLAIM_TYPEHASH =
        keccak256("Claim(address account,uint256 cumulativeAmount,address to,uint256 nonce,uint256 deadline)");

    /// @notice OPEN.
    IERC20 public immutable token;
    /// @notice Where each epoch's fees are pulled from.
    FeeVault public immutable vault;

    /// @notice The latest root; claims verify against it.
    bytes32 public merkleRoot;
    /// @notice Total paid into claims, over all epochs (packed with totalPosted: one slot read and written per claim).
    uint128 public totalClaimed;
    /// @notice Total posted for claims, over all epochs (burns excluded).
    uint128 public totalPosted;
    /// @notice The last epoch posted; the next must be exactly one more.
    uint64 public lastEpoch;
    /// @notice What each account has been paid so far.
    mapping(address account => uint256) public claimed;

    /// @notice The epoch is not lastEpoch + 1.
    error EpochOutOfOrder(uint64 expected, uint64 given);
    /// @notice The root was zero.
    error ZeroRoot();
    /// @notice The proof does not show (account, cumulativeAmount) under the current root.
    error InvalidProof(address account, uint256 cumulativeAmount);
    /// @notice The account has already been paid at least cumulativeAmount.
    error NothingToClaim(address account, uint256 cumulativeAmount, uint256 alreadyClaimed);
    /// @notice Paying would make total claimed exceed total posted.
    error ClaimExceedsPosted(uint256 totalClaimedAfter, uint256 totalPosted);
    /// @notice The relayed claim's deadline passed.
    error ExpiredSignature(uint256 deadline);
    /// @notice The relayed claim was not signed by the account.
    error InvalidSigner(address signer, address account);
    /// @notice An address was zero.
    error ZeroAddress();

    /// @notice An epoch was posted: its root, what it adds to claims, what it burned and the manifest (all leaves).
    event EpochPosted(uint64 indexed epochId, bytes32 root, uint256 total, uint256 burn, bytes32 manifestHash);
    /// @notice An account was paid `amount`, bringing it to `cumulativeAmount`.
    event Claimed(address indexed account, address indexed to, uint256 amount, uint256 cumulativeAmount);

    /// @param token_ OPEN (burnable).
    /// @param vault_ the FeeVault; this contract needs its DISTRIBUTOR_ROLE.
    /// @param admin holds DEFAULT_ADMIN_ROLE (the Timelock, or a deployer that wires roles and hands over).
    constructor(IERC20 token_, FeeVault vault_, address admin) EIP712("OpenLedger Distributor", "1") {
        if (address(token_) == address(0) || address(vault_) == address(0) || admin == address(0)) revert ZeroAddress();
        token = token_;
        vault = vault_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Posts epoch `epochId`: pulls total + burn from the vault, burns `burn`, and makes `root` (cumulative
    /// amounts over all epochs so far) the root claims verify against. Only lastEpoch + 1, so a resent transaction
    /// reverts instead of posting twice.
    function postEpoch(uint64 epochId, bytes32 root, uint256 total, uint256 burn, bytes32 manifestHash)
        external onlyRole(SETTLER_ROLE)
    {
        uint64 expected = lastEpoch + 1;
        if (epochId != expected) revert EpochOutOfOrder(expected, epochId);
        // A zero root means nobody has ever earned (an epoch of burn only, or an empty one); it must still post, or
        // every later epoch would wait behind it.
        if (root == bytes32(0) && (total != 0 || totalPosted != 0)) revert ZeroRoot();
        lastEpoch = epochId;
        merkleRoot = root;
        totalPosted += SafeCast.toUint128(total);
        vault.withdrawForEpoch(total + burn, address(this));
        if (burn > 0) ERC20Burnable(address(token)).burn(burn);
        emit EpochPosted(epochId, root, total, burn, manifestHash);
    }

    /// @notice Pays `account` what its cumulative amount under the current root adds to what it was paid already.
    /// Anyone may send it (the money always goes to the account).
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof) external {
        _claim(account, cumulativeAmount, proof, account);
    }

    /// @notice A relayed claim: the account signed (EIP-712) "pay up to cumulativeAmount to `to`" with its next
    /// nonce, so a relayer pays the gas; a replay reverts because the nonce is used.
    function claimWithSignature(
        address account,
        uint256 cumulativeAmount,
        bytes32[] calldata proof,
        address to,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert ExpiredSignature(deadline);
        if (to == address(0)) revert ZeroAddress();
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(CLAIM_TYPEHASH, account, cumulativeAmount, to, _useNonce(account), deadline)));
        address signer = ECDSA.recover(digest, signature);
        if (signer != account) revert InvalidSigner(signer, account);
        _claim(account, cumulativeAmount, proof, to);
    }

    /// @notice What `account` could claim now with a valid proof for `cumulativeAmount`.
    function claimable(address account, uint256 cumulativeAmount) external view returns (uint256) {
        uint256 paid = claimed[account];
        return cumulativeAmount > paid ? cumulativeAmount - paid : 0;
    }

    /// @notice The leaf for (account, cumulativeAmount), as the off-chain tree must build it.
    function leaf(address account, uint256 cumulativeAmount) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
    }

    /// @notice The EIP-712 domain separator, for signers.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function _claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof, address to) private {
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf(account, cumulativeAmount))) {
            revert InvalidProof(account, cumulativeAmount);
        }
        uint256 paid = claimed[account];
        if (cumulativeAmount <= paid) revert NothingToClaim(account, cumulativeAmount, paid);
        uint256 amount = cumulativeAmount - paid;
        uint256 claimedAfter = uint256(totalClaimed) + amount;
        if (claimedAfter > totalPosted) revert ClaimExceedsPosted(claimedAfter, totalPosted);
        claimed[account] = cumulativeAmount;
        totalClaimed = uint128(claimedAfter);
        token.safeTransfer(to, amount);
        emit Claimed(account, to, amount, cumulativeAmount);
    }
}
