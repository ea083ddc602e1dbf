using System.Numerics;
using Nethereum.ABI;

namespace OpenLedger.Datanets.Snapshots;

/// <summary>
/// The Merkle leaf of one snapshot member, in OpenZeppelin's standard form: the ABI encoding is hashed twice,
/// <c>keccak256(bytes.concat(keccak256(abi.encode(payloadHash, contributor, sizeBytes, recordCount))))</c>, so a leaf
/// can never be mistaken for an inner node (a 64-byte preimage).
/// </summary>
public static class SnapshotLeaf
{
    private static readonly ABIEncode _abi = new();

    /// <summary>The 32-byte leaf hash.</summary>
    public static byte[] Hash(byte[] payloadHash, string contributor, long sizeBytes, int recordCount)
    {
        var encoded = _abi.GetABIEncoded(
            new ABIValue("bytes32", payloadHash),
            new ABIValue("address", contributor),
            new ABIValue("uint256", new BigInteger(sizeBytes)),
            new ABIValue("uint256", new BigInteger(recordCount)));
        return Keccak.Hash(Keccak.Hash(encoded));
    }
}
