using System.Numerics;

namespace OpenLedger.Economy;

/// <summary>
/// OPEN amounts in wei: exact non-negative integers that fit a Solidity <c>uint256</c>. Every amount crossing into the
/// engine is checked here, so nothing the engine computes can fail to post on-chain.
/// </summary>
public static class Wei
{
    /// <summary>The largest amount a <c>uint256</c> holds, 2^256 - 1.</summary>
    public static BigInteger MaxUInt256 { get; } = (BigInteger.One << 256) - 1;

    /// <summary>Returns <paramref name="amount"/>, or throws <see cref="ArgumentException"/> naming it when it is negative or wider than 256 bits.</summary>
    public static BigInteger Require(BigInteger amount, string name)
    {
        if (amount.Sign < 0)
        {
            throw new ArgumentException($"The amount {amount} wei is negative; OPEN amounts are whole non-negative wei.", name);
        }
        if (amount > MaxUInt256)
        {
            throw new ArgumentException($"The amount {amount} wei does not fit a uint256.", name);
        }
        return amount;
    }

    /// <summary>The 32-byte big-endian word of <paramref name="amount"/>, as <c>abi.encode(uint256)</c> writes it.</summary>
    public static byte[] ToUInt256Word(BigInteger amount)
    {
        Require(amount, nameof(amount));
        var word = new byte[32];
        var bytes = amount.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    /// <summary>The amount held in a 32-byte big-endian word.</summary>
    public static BigInteger FromUInt256Word(ReadOnlySpan<byte> word)
    {
        if (word.Length != 32)
        {
            throw new ArgumentException($"A uint256 word is 32 bytes, not {word.Length}.", nameof(word));
        }
        return new BigInteger(word, isUnsigned: true, isBigEndian: true);
    }
}
