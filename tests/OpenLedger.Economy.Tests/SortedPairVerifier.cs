using Nethereum.Util;

namespace OpenLedger.Economy.Tests;

/// <summary>
/// OpenZeppelin's MerkleProof.verify written out again, independent of the engine's tree: fold the proof into the leaf,
/// hashing each pair in ascending byte order with keccak256.
/// </summary>
internal static class SortedPairVerifier
{
    public static bool Verify(IReadOnlyList<byte[]> proof, byte[] root, byte[] leaf)
    {
        var computed = leaf;
        foreach (var sibling in proof)
        {
            var pair = Compare(computed, sibling) <= 0 ? computed.Concat(sibling) : sibling.Concat(computed);
            computed = Sha3Keccack.Current.CalculateHash(pair.ToArray());
        }
        return computed.SequenceEqual(root);
    }

    private static int Compare(byte[] a, byte[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return a[i] < b[i] ? -1 : 1;
            }
        }
        return 0;
    }
}
