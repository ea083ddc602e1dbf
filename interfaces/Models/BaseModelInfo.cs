namespace OpenLedger.Models;

/// <summary>A base model the grid holds in Blob storage as a Hugging Face checkpoint folder.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.BaseModelInfo")]
public sealed record BaseModelInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Hash,
    [property: Id(2)] string ConfigJson,
    [property: Id(3)] long Parameters,
    [property: Id(4)] string Tokenizer,
    [property: Id(5)] IReadOnlyList<ModelFile> Files,
    [property: Id(6)] string ImportedBy,
    [property: Id(7)] DateTimeOffset ImportedAt,
    [property: Id(8)] string Description);

/// <summary>One file of a checkpoint or adapter folder, with its keccak256 hash.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ModelFile")]
public sealed record ModelFile(
    [property: Id(0)] string Name,
    [property: Id(1)] long Bytes,
    [property: Id(2)] string Hash);

/// <summary>What an importer announces before uploading a checkpoint folder's files in chunks.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.BaseModelImport")]
public sealed record BaseModelImport(
    [property: Id(0)] string ImportedBy,
    [property: Id(1)] string Description,
    [property: Id(2)] IReadOnlyList<ModelFile> Files);
