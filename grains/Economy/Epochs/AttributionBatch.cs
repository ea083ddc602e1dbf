using OpenLedger.Datanets;
using OpenLedger.Datanets.Snapshots;

namespace OpenLedger.Economy.Epochs;

/// <summary>
/// The attribution records charged in one epoch, as one Merkle tree whose root the registry anchors. Each leaf binds an
/// inference id to its record's hash, <c>keccak256(bytes.concat(keccak256(abi.encode(keccak256(id), recordHash))))</c>
/// (OpenZeppelin's double-hashed leaf), ordered by inference id, so a record proves its inclusion with a path of
/// log2(n) hashes and no one can swap a record for another with the same id.
/// </summary>
public sealed class AttributionBatch
{
    private readonly string[] _ids;
    private readonly MerkleTree? _tree;

    /// <summary>Builds the batch from inference id → record hash (0x hex, 32 bytes).</summary>
    public AttributionBatch(IReadOnlyDictionary<string, string> records)
    {
        _ids = [.. records.Keys.Order(StringComparer.Ordinal)];
        Records = records;
        _tree = _ids.Length == 0 ? null : new MerkleTree(_ids.Select(id => Leaf(id, records[id])).ToList());
        Root = _tree?.Root ?? new byte[32];
    }

    /// <summary>Inference id → record hash.</summary>
    public IReadOnlyDictionary<string, string> Records { get; }

    /// <summary>The root (32 zero bytes for an epoch with no records).</summary>
    public byte[] Root { get; }

    /// <summary>The proof of <paramref name="inferenceId"/>'s leaf; throws <see cref="KeyNotFoundException"/> when it is not in the batch.</summary>
    public IReadOnlyList<byte[]> Proof(string inferenceId)
    {
        var index = Array.BinarySearch(_ids, inferenceId, StringComparer.Ordinal);
        if (index < 0 || _tree is null)
        {
            throw new KeyNotFoundException($"Inference '{inferenceId}' is not in this batch.");
        }
        return _tree.Proof(index);
    }

    /// <summary>The record hash of a record's canonical bytes: keccak256.</summary>
    public static string RecordHash(byte[] canonicalRecord) => Keccak.HashHex(canonicalRecord);

    /// <summary>The leaf of one inference's record.</summary>
    public static byte[] Leaf(string inferenceId, string recordHash)
    {
        var hash = Hex.Decode(recordHash);
        if (hash.Length != 32)
        {
            throw new ArgumentException($"A record hash is 32 bytes; '{recordHash}' is {hash.Length}.", nameof(recordHash));
        }
        var encoded = new byte[64];
        Keccak.Hash(System.Text.Encoding.UTF8.GetBytes(inferenceId)).CopyTo(encoded, 0);
        hash.CopyTo(encoded, 32);
        return Keccak.Hash(Keccak.Hash(encoded));
    }

    /// <summary>True when <paramref name="proof"/> takes the leaf of (<paramref name="inferenceId"/>, <paramref name="recordHash"/>) to <paramref name="root"/>.</summary>
    public static bool Verify(byte[] root, string inferenceId, string recordHash, IEnumerable<byte[]> proof) =>
        MerkleTree.Verify(root, Leaf(inferenceId, recordHash), proof);
}
