using System.Numerics;

namespace OpenLedger.Economy.Fees;

/// <summary>
/// The fee of one inference: <c>ceil(tokens × price / 1000)</c> wei, where a model's price is quoted in wei per 1,000
/// tokens. Rounding up means the fee is never below the exact price and a priced inference is never free (splitting
/// work into tiny calls cannot dodge the fee); the agent pays less than one wei over the exact amount. The rounded
/// fee is the one integer debited from the agent and then split with nothing lost, so no remainder is carried.
/// </summary>
public static class InferenceFee
{
    /// <summary>The number of tokens a model's price is quoted for.</summary>
    public const int TokensPerPrice = 1_000;

    /// <summary>The fee in wei for <paramref name="tokens"/> tokens at <paramref name="weiPerThousandTokens"/>.</summary>
    public static BigInteger Compute(long tokens, BigInteger weiPerThousandTokens)
    {
        if (tokens < 0)
        {
            throw new ArgumentException($"The token count {tokens} is negative.", nameof(tokens));
        }
        Wei.Require(weiPerThousandTokens, nameof(weiPerThousandTokens));
        var exact = tokens * weiPerThousandTokens;
        var fee = BigInteger.DivRem(exact, TokensPerPrice, out var remainder) + (remainder.IsZero ? 0 : 1);
        if (fee > Wei.MaxUInt256)
        {
            throw new ArgumentException($"{tokens} tokens at {weiPerThousandTokens} wei per {TokensPerPrice} tokens cost more than a uint256 holds.", nameof(tokens));
        }
        return fee;
    }
}
