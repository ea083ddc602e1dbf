namespace OpenLedger.Datanets;

/// <summary>What a Datanet is about and how contributions to it are judged.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.DatanetSpec")]
public sealed record DatanetSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string Domain,
    [property: Id(2)] string Description,
    [property: Id(3)] string Licence,
    [property: Id(4)] RecordSchema Schema,
    [property: Id(5)] CurationPolicy Curation);

/// <summary>How contributions become approved: at once (open) or by one of the named curators.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.CurationPolicy")]
public sealed record CurationPolicy(
    [property: Id(0)] CurationMode Mode,
    [property: Id(1)] IReadOnlyList<string> Curators)
{
    /// <summary>Every valid contribution is approved as it is accepted.</summary>
    public static CurationPolicy Open { get; } = new(CurationMode.Open, Array.Empty<string>());

    /// <summary>Contributions wait for a decision by one of <paramref name="curators"/> (Ethereum addresses).</summary>
    public static CurationPolicy CuratedBy(params string[] curators) => new(CurationMode.Curated, curators);
}

/// <summary>The two curation modes.</summary>
[GenerateSerializer, Alias("OpenLedger.CurationMode")]
public enum CurationMode
{
    /// <summary>Accepted contributions are approved immediately.</summary>
    Open = 0,

    /// <summary>Accepted contributions are pending until a curator approves or rejects them.</summary>
    Curated = 1,
}
