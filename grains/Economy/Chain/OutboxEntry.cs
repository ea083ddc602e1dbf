using System.Collections.Immutable;
using System.Numerics;

namespace OpenLedger.Economy.Chain;

/// <summary>
/// One transaction the settlement signer owes the chain, keyed by its purpose (e.g. "epoch-7"). It holds the raw
/// signed transaction so that a restart rebroadcasts exactly the bytes it signed, with the same nonce and hash.
/// </summary>
/// <param name="Purpose">The caller's idempotency key: one purpose, one nonce, at most one effect on-chain.</param>
/// <param name="Nonce">The account nonce this purpose owns; a fee bump re-signs the same nonce.</param>
/// <param name="To">The recipient or contract, lower-case 0x-prefixed.</param>
/// <param name="Data">The calldata, lower-case 0x-prefixed ("0x" for a plain transfer).</param>
/// <param name="Value">The wei sent with the call.</param>
/// <param name="GasLimit">The explicit gas limit: no estimation, so a reverting call is mined and seen as status 0.</param>
/// <param name="MaxFeePerGas">The EIP-1559 fee cap of the current signature, in wei.</param>
/// <param name="MaxPriorityFeePerGas">The EIP-1559 tip of the current signature, in wei.</param>
/// <param name="RawTransaction">The current signed transaction, 0x-prefixed hex, as eth_sendRawTransaction takes it.</param>
/// <param name="TransactionHash">The hash of <paramref name="RawTransaction"/>.</param>
/// <param name="EarlierHashes">Hashes of earlier signatures of the same nonce (before fee bumps): any of them may be the one mined.</param>
/// <param name="Stage">Where the transaction stands.</param>
/// <param name="Attempts">How many times a raw transaction of this entry was handed to the node.</param>
/// <param name="CreatedAt">When the entry was first signed.</param>
/// <param name="UpdatedAt">When the entry was last saved.</param>
public sealed record OutboxEntry(
    string Purpose,
    BigInteger Nonce,
    string To,
    string Data,
    BigInteger Value,
    BigInteger GasLimit,
    BigInteger MaxFeePerGas,
    BigInteger MaxPriorityFeePerGas,
    string RawTransaction,
    string TransactionHash,
    ImmutableArray<string> EarlierHashes,
    OutboxStage Stage,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The block that holds the mined transaction, once <see cref="Stage"/> is Mined or later.</summary>
    public BigInteger? BlockNumber { get; init; }

    /// <summary>The hash of that block, re-checked at confirmation time so that a reorg is noticed.</summary>
    public string? BlockHash { get; init; }

    /// <summary>Which of the entry's hashes was mined (the current one or an earlier signature).</summary>
    public string? MinedHash { get; init; }

    /// <summary>The receipt status: 1 succeeded, 0 reverted.</summary>
    public int? ReceiptStatus { get; init; }

    /// <summary>The gas the mined transaction used, from its receipt (null for entries stored before it was kept).</summary>
    public long? GasUsed { get; init; }

    /// <summary>How many times the fees were bumped by re-signing the same nonce.</summary>
    public int FeeBumps { get; init; }

    /// <summary>True once the entry is Confirmed or Reverted: nothing more will be sent for it.</summary>
    public bool IsFinal => Stage is OutboxStage.Confirmed or OutboxStage.Reverted;

    /// <summary>Every hash this entry has signed, the current one first.</summary>
    public IEnumerable<string> AllHashes => EarlierHashes.IsDefaultOrEmpty ? [TransactionHash] : EarlierHashes.Prepend(TransactionHash);
}
