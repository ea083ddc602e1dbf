namespace OpenLedger.Attribution.Influence;

/// <summary>
/// Scores as integers: each example's score is rounded once to a multiple of 2^-30 and sums are exact 128-bit
/// integers, so adding partial sums in any grouping or order (any number of shards or silos) gives the same bits.
/// </summary>
public static class FixedPoint
{
    /// <summary>Units per 1.0.</summary>
    public const double Scale = 1L << 30;

    /// <summary>The fixed-point form of <paramref name="score"/> (round half away from zero, saturating).</summary>
    public static long From(double score)
    {
        var scaled = Math.Round(score * Scale, MidpointRounding.AwayFromZero);
        return scaled >= long.MaxValue ? long.MaxValue : scaled <= long.MinValue ? long.MinValue : (long)scaled;
    }

    /// <summary>A fixed-point sum as a double (for display only; shares are computed on the integers).</summary>
    public static double ToDouble(Int128 units) => (double)units / Scale;
}
