namespace OpenLedger.Economy.Fees;

/// <summary>A data contributor's (0x address) attribution share of one inference, in parts per billion.</summary>
public sealed record DataShare(string Contributor, long PartsPerBillion)
{
    /// <summary>One whole, in parts per billion.</summary>
    public const long Whole = 1_000_000_000;
}
