namespace OpenLedger.Economy;

/// <summary>A contributor's rank (1 = most) and wei earned in one Datanet.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.TopContributorView")]
public sealed record TopContributorView(
    [property: Id(0)] int Rank,
    [property: Id(1)] string Contributor,
    [property: Id(2)] string Wei);
