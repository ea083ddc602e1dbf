using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>A data contributor's place among a Datanet's earners (1 is the top) and what it earned there.</summary>
public sealed record RankedContributor(int Rank, string Contributor, BigInteger Wei);
