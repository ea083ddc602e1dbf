using System.Numerics;

namespace OpenLedger.Economy.Chain;

/// <summary>An EIP-1559 fee pair, in wei per gas.</summary>
/// <param name="MaxFeePerGas">The most the signer pays per gas (base fee + tip).</param>
/// <param name="MaxPriorityFeePerGas">The tip to the block producer.</param>
public readonly record struct Eip1559Fees(BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas)
{
    /// <summary>
    /// Fees for a new transaction: twice the latest base fee plus the tip, as geth and ethers suggest, so that it
    /// stays includable through six full blocks of base-fee rises. Capped at <paramref name="cap"/>.
    /// </summary>
    public static Eip1559Fees Suggest(BigInteger baseFee, BigInteger tip, BigInteger cap)
    {
        var maxFee = BigInteger.Min(baseFee * 2 + tip, cap);
        return new Eip1559Fees(maxFee, BigInteger.Min(tip, maxFee));
    }

    /// <summary>
    /// Fees for re-signing the same nonce: each at least <paramref name="percent"/>% above the old one (rounded up,
    /// as nodes compare), and never below what the chain now suggests. Capped at <paramref name="cap"/>.
    /// </summary>
    public Eip1559Fees Bump(int percent, Eip1559Fees suggested, BigInteger cap)
    {
        var tip = BigInteger.Max(RaiseBy(MaxPriorityFeePerGas, percent), suggested.MaxPriorityFeePerGas);
        var maxFee = BigInteger.Min(BigInteger.Max(RaiseBy(MaxFeePerGas, percent), suggested.MaxFeePerGas), cap);
        return new Eip1559Fees(maxFee, BigInteger.Min(tip, maxFee));
    }

    private static BigInteger RaiseBy(BigInteger fee, int percent) => (fee * (100 + percent) + 99) / 100;
}
