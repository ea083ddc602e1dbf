namespace OpenLedger.Grains.Economy;

/// <summary>
/// The earnings grain's own small state: how far it has read the distributor's claims. The index itself is rebuilt
/// from the event log in Blob storage.
/// </summary>
[GenerateSerializer, Alias("OpenLedger.EarningsState")]
public sealed class EarningsState
{
    /// <summary>The last block whose claims are all in the log (0: none read yet).</summary>
    [Id(0)] public long ClaimsReadToBlock { get; set; }
}
