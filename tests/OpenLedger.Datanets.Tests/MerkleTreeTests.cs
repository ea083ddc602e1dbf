using OpenLedger.Datanets.Snapshots;

namespace OpenLedger.Datanets.Tests;

public sealed class MerkleTreeTests
{
    private static byte[] Leaf(int i) => Keccak.Hash([(byte)i]);

    // Reference: OpenZeppelin's commutative pair hash written out by hand.
    private static byte[] Pair(byte[] a, byte[] b) =>
        Keccak.Hash(a.AsSpan().SequenceCompareTo(b) <= 0 ? [.. a, .. b] : [.. b, .. a]);

    [Fact]
    public void Root_of_one_leaf_is_the_leaf()
    {
        Assert.Equal(Leaf(0), new MerkleTree([Leaf(0)]).Root);
        Assert.Empty(new MerkleTree([Leaf(0)]).Proof(0));
    }

    [Fact]
    public void Roots_match_a_hand_built_tree_and_an_odd_node_moves_up_unchanged()
    {
        var l = Enumerable.Range(0, 5).Select(Leaf).ToArray();
        Assert.Equal(Pair(l[0], l[1]), new MerkleTree(l[..2]).Root);
        Assert.Equal(Pair(Pair(l[0], l[1]), l[2]), new MerkleTree(l[..3]).Root);
        Assert.Equal(Pair(Pair(Pair(l[0], l[1]), Pair(l[2], l[3])), l[4]), new MerkleTree(l).Root);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    public void Every_proof_verifies_and_a_wrong_leaf_or_tampered_proof_does_not(int count)
    {
        var leaves = Enumerable.Range(0, count).Select(Leaf).ToList();
        var tree = new MerkleTree(leaves);
        for (var i = 0; i < count; i++)
        {
            var proof = tree.Proof(i);
            Assert.True(MerkleTree.Verify(tree.Root, leaves[i], proof));
            Assert.False(MerkleTree.Verify(tree.Root, Leaf(1000 + i), proof));
            if (proof.Count > 0)
            {
                var tampered = proof.Select(p => p.ToArray()).ToList();
                tampered[0][0] ^= 1;
                Assert.False(MerkleTree.Verify(tree.Root, leaves[i], tampered));
            }
        }
    }

    [Fact]
    public void Leaf_is_the_double_hash_of_the_abi_encoding()
    {
        var payloadHash = Keccak.Hash("payload"u8);
        const string contributor = "0x00000000000000000000000000000000000000aa";
        // abi.encode(bytes32, address, uint256, uint256): four 32-byte words, written out by hand.
        var encoded = new byte[128];
        payloadHash.CopyTo(encoded, 0);
        encoded[63] = 0xaa;
        encoded[94] = 0x04; // 1024
        encoded[127] = 7;
        Assert.Equal(Keccak.Hash(Keccak.Hash(encoded)), SnapshotLeaf.Hash(payloadHash, contributor, 1024, 7));
    }

    [Fact]
    public void Bad_leaves_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new MerkleTree([]));
        Assert.Throws<ArgumentException>(() => new MerkleTree([new byte[31]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MerkleTree([Leaf(0)]).Proof(1));
    }
}
