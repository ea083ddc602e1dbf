namespace OpenLedger.Attribution.Shares;

/// <summary>
/// How evidence becomes shares, in parts per billion. <see cref="GradientWeightPpb"/> of an inference's attribution
/// follows gradient influence and the rest follows verbatim spans (default 70% / 30%); when one kind of evidence is
/// absent the other carries the whole. Contributors whose summed influence is zero or negative pushed the output
/// away from what was produced: they earn no gradient share and are never charged. Governable defaults, not
/// published OpenLedger constants.
/// </summary>
public sealed record SharePolicy(long GradientWeightPpb = 700_000_000)
{
    /// <summary>One whole, in parts per billion.</summary>
    public const long Whole = 1_000_000_000;

    /// <summary>The defaults.</summary>
    public static SharePolicy Default { get; } = new();
}
