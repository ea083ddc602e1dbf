using System.Numerics;
using Nethereum.ABI;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Snapshots;

namespace OpenLedger.Chain.Tests;

/// <summary>A cumulative distribution tree, built as the off-chain side builds it (OpenZeppelin standard leaves).</summary>
public sealed class CumulativeTree
{
    private readonly MerkleTree _tree;
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the tree over (account, cumulative amount) pairs.</summary>
    public CumulativeTree(IReadOnlyList<(string Account, BigInteger Cumulative)> entries)
    {
        Entries = entries;
        for (var i = 0; i < entries.Count; i++)
        {
            _index[entries[i].Account] = i;
        }
        _tree = new MerkleTree(entries.Select(e => Leaf(e.Account, e.Cumulative)).ToList());
    }

    /// <summary>The (account, cumulative amount) pairs.</summary>
    public IReadOnlyList<(string Account, BigInteger Cumulative)> Entries { get; }

    /// <summary>The root the distributor verifies against.</summary>
    public byte[] Root => _tree.Root;

    /// <summary>The cumulative amount of <paramref name="account"/>.</summary>
    public BigInteger AmountOf(string account) => Entries[_index[account]].Cumulative;

    /// <summary>The proof for <paramref name="account"/>'s leaf.</summary>
    public List<byte[]> ProofOf(string account) => _tree.Proof(_index[account]).ToList();

    /// <summary>keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount)))).</summary>
    public static byte[] Leaf(string account, BigInteger cumulative)
    {
        var encoded = new ABIEncode().GetABIEncoded(new ABIValue("address", account), new ABIValue("uint256", cumulative));
        return Keccak.Hash(Keccak.Hash(encoded));
    }
}
