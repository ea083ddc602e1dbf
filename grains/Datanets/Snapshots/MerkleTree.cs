namespace OpenLedger.Datanets.Snapshots;

/// <summary>
/// A binary Merkle tree over 32-byte leaves whose inner nodes hash sorted pairs, <c>keccak256(min(a,b) || max(a,b))</c>,
/// so its proofs verify with OpenZeppelin's <c>MerkleProof.verify</c>. A node without a sibling moves up a level
/// unchanged, and its proof simply has no element for that level.
/// </summary>
public sealed class MerkleTree
{
    private readonly List<byte[][]> _levels = new();

    /// <summary>Builds the tree; leaves keep the order given.</summary>
    public MerkleTree(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0)
        {
            throw new ArgumentException("A Merkle tree needs at least one leaf.", nameof(leaves));
        }
        if (leaves.Any(leaf => leaf.Length != 32))
        {
            throw new ArgumentException("Every leaf must be 32 bytes.", nameof(leaves));
        }
        var level = leaves.ToArray();
        _levels.Add(level);
        while (level.Length > 1)
        {
            var next = new byte[(level.Length + 1) / 2][];
            for (var i = 0; i < level.Length; i += 2)
            {
                next[i / 2] = i + 1 < level.Length ? HashPair(level[i], level[i + 1]) : level[i];
            }
            _levels.Add(next);
            level = next;
        }
    }

    /// <summary>The root hash.</summary>
    public byte[] Root => _levels[^1][0];

    /// <summary>The number of leaves.</summary>
    public int Count => _levels[0].Length;

    /// <summary>The sibling hashes from leaf <paramref name="index"/> up to the root.</summary>
    public IReadOnlyList<byte[]> Proof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var proof = new List<byte[]>();
        for (var depth = 0; depth < _levels.Count - 1; depth++)
        {
            var sibling = index ^ 1;
            if (sibling < _levels[depth].Length)
            {
                proof.Add(_levels[depth][sibling]);
            }
            index /= 2;
        }
        return proof;
    }

    /// <summary>Recomputes the root from a leaf and its proof, as <c>MerkleProof.processProof</c> does.</summary>
    public static byte[] ProcessProof(byte[] leaf, IEnumerable<byte[]> proof) =>
        proof.Aggregate(leaf, HashPair);

    /// <summary>True when <paramref name="proof"/> shows <paramref name="leaf"/> under <paramref name="root"/>.</summary>
    public static bool Verify(byte[] root, byte[] leaf, IEnumerable<byte[]> proof) =>
        ProcessProof(leaf, proof).AsSpan().SequenceEqual(root);

    /// <summary>keccak256 of the two hashes in ascending byte order.</summary>
    public static byte[] HashPair(byte[] a, byte[] b)
    {
        var (low, high) = a.AsSpan().SequenceCompareTo(b) <= 0 ? (a, b) : (b, a);
        var buffer = new byte[64];
        low.CopyTo(buffer, 0);
        high.CopyTo(buffer, 32);
        return Keccak.Hash(buffer);
    }
}
