namespace OpenLedger.Grains.Economy;

/// <summary>
/// How the grid's grains tell the earnings read model what happened (the same activation as <see cref="OpenLedger.Economy.IEarningsGrain"/>).
/// Events travel as their log lines (<c>EarningsEventJson</c>), the bytes the grain stores, so what is applied is
/// what is kept. Delivery is at least once: a repeat is recognised and changes nothing.
/// </summary>
[Alias("OpenLedger.IEarningsFeedGrain")]
public interface IEarningsFeedGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies one event and stores it before returning. Throws the index's typed error (nothing stored) when the
    /// event is malformed, conflicts with one applied before, or claims more than was posted.
    /// </summary>
    [Alias("Record")]
    Task Record(string eventLine);
}
