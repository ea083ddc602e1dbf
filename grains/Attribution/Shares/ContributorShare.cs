namespace OpenLedger.Attribution.Shares;

/// <summary>A contributor's share of one inference's attribution, in parts per billion.</summary>
public sealed record ContributorShare(string Contributor, long PartsPerBillion);
