using System.Numerics;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Snapshots;

namespace OpenLedger.Economy.Epochs;

/// <summary>
/// A closed epoch, ready for <c>postEpoch(epochId, root, total, burn, manifestHash)</c>: the cumulative leaf of every
/// account that ever earned (ordered by address, ascending), the wei paid to recipients in this epoch, the wei burned
/// in it, the Merkle root over the leaves (sorted-pair hashing, as OpenZeppelin's <c>MerkleProof</c> verifies; 32 zero
/// bytes when no account has ever earned) and the manifest hash.
/// </summary>
public sealed class EpochClose
{
    private readonly MerkleTree? _tree;
    private readonly Dictionary<string, int> _index;

    /// <summary>Builds the close from its leaves, which must be ordered by address with no account twice.</summary>
    public EpochClose(long epochId, IReadOnlyList<CumulativeLeaf> leaves, BigInteger total, BigInteger burn)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        for (var i = 1; i < leaves.Count; i++)
        {
            if (string.CompareOrdinal(leaves[i - 1].Account, leaves[i].Account) >= 0)
            {
                throw new ArgumentException($"Leaves must be ordered by address with each account once; {leaves[i].Account} follows {leaves[i - 1].Account}.", nameof(leaves));
            }
        }
        EpochId = epochId;
        Leaves = leaves;
        Total = Wei.Require(total, nameof(total));
        Burn = Wei.Require(burn, nameof(burn));
        _index = leaves.Select((leaf, i) => (leaf.Account, i)).ToDictionary(p => p.Account, p => p.i, StringComparer.Ordinal);
        _tree = leaves.Count == 0 ? null : new MerkleTree(leaves.Select(l => l.Hash).ToList());
        Root = _tree?.Root ?? new byte[32];
        ManifestHash = ManifestHashOf(epochId, leaves);
    }

    /// <summary>The epoch's number (the first is 1, as the distributor expects <c>lastEpoch + 1</c>).</summary>
    public long EpochId { get; }

    /// <summary>Every account's cumulative leaf, ordered by address (ordinal, lower-case hex).</summary>
    public IReadOnlyList<CumulativeLeaf> Leaves { get; }

    /// <summary>The wei accrued to recipients in this epoch (burn excluded): what the distributor newly owes.</summary>
    public BigInteger Total { get; }

    /// <summary>The wei burned in this epoch.</summary>
    public BigInteger Burn { get; }

    /// <summary>The 32-byte Merkle root.</summary>
    public byte[] Root { get; }

    /// <summary>
    /// keccak256 of the manifest's canonical encoding: the epoch id as a uint256 word, then each leaf's
    /// <c>abi.encode(account, cumulativeAmount)</c> in leaf order; anyone holding the manifest can recompute it.
    /// </summary>
    public byte[] ManifestHash { get; }

    /// <summary>The leaf of <paramref name="account"/>, or null when it has never earned.</summary>
    public CumulativeLeaf? Leaf(string account) =>
        EthereumAddress.TryNormalize(account) is { } canonical && _index.TryGetValue(canonical, out var i) ? Leaves[i] : null;

    /// <summary>The proof for <paramref name="account"/>'s leaf; throws <see cref="ArgumentException"/> when it has never earned.</summary>
    public IReadOnlyList<byte[]> Proof(string account)
    {
        var canonical = Account.Require(account, nameof(account));
        if (_tree is null || !_index.TryGetValue(canonical, out var i))
        {
            throw new ArgumentException($"Account {canonical} has no leaf in epoch {EpochId}: it has earned nothing yet.", nameof(account));
        }
        return _tree.Proof(i);
    }

    /// <summary>The manifest hash of an epoch's leaves (see <see cref="ManifestHash"/>).</summary>
    public static byte[] ManifestHashOf(long epochId, IReadOnlyList<CumulativeLeaf> leaves)
    {
        var encoded = new byte[32 + 64 * leaves.Count];
        Wei.ToUInt256Word(epochId).CopyTo(encoded, 0);
        for (var i = 0; i < leaves.Count; i++)
        {
            CumulativeLeaf.Encode(leaves[i].Account, leaves[i].CumulativeAmount).CopyTo(encoded, 32 + 64 * i);
        }
        return Keccak.Hash(encoded);
    }
}
