using System.Numerics;
using OpenLedger.Datanets;

namespace OpenLedger.Economy.Epochs;

/// <summary>
/// One account's leaf in an epoch's cumulative Merkle tree: everything it has earned over all epochs so far. The hash
/// is OpenZeppelin StandardMerkleTree's, <c>keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))))</c>,
/// which the distributor's <c>claim</c> recomputes; it is always computed here, so it cannot disagree with the amount.
/// </summary>
public sealed record CumulativeLeaf
{
    /// <summary>The leaf of <paramref name="account"/> (made canonical) with <paramref name="cumulativeAmount"/> wei.</summary>
    public CumulativeLeaf(string account, BigInteger cumulativeAmount)
    {
        Account = Economy.Account.Require(account, nameof(account));
        CumulativeAmount = Wei.Require(cumulativeAmount, nameof(cumulativeAmount));
        Hash = HashOf(Account, CumulativeAmount);
    }

    /// <summary>The account, canonical lower-case 0x hex.</summary>
    public string Account { get; }

    /// <summary>Its cumulative earnings in wei over all epochs so far.</summary>
    public BigInteger CumulativeAmount { get; }

    /// <summary>The 32-byte leaf hash.</summary>
    public byte[] Hash { get; }

    /// <summary>Leaves are equal when account and amount are (the hash follows from them).</summary>
    public bool Equals(CumulativeLeaf? other) =>
        other is not null && Account == other.Account && CumulativeAmount == other.CumulativeAmount;

    /// <summary>A hash code from the account and amount.</summary>
    public override int GetHashCode() => HashCode.Combine(Account, CumulativeAmount);

    /// <summary><c>abi.encode(address account, uint256 cumulativeAmount)</c>: two 32-byte words.</summary>
    public static byte[] Encode(string account, BigInteger cumulativeAmount)
    {
        var encoded = new byte[64];
        Economy.Account.ToAbiWord(Economy.Account.Require(account, nameof(account))).CopyTo(encoded, 0);
        Wei.ToUInt256Word(cumulativeAmount).CopyTo(encoded, 32);
        return encoded;
    }

    /// <summary>The double keccak256 leaf hash of an account and its cumulative amount.</summary>
    public static byte[] HashOf(string account, BigInteger cumulativeAmount) =>
        Keccak.Hash(Keccak.Hash(Encode(account, cumulativeAmount)));
}
