namespace OpenLedger.Grains.Serving;

/// <summary>A deployed adapter's persisted record; its weights live in Blob storage under <see cref="BlobPrefix"/>.</summary>
[GenerateSerializer, Alias("OpenLedger.Grains.AdapterState")]
public sealed class AdapterState
{
    /// <summary>The base model it runs on.</summary>
    [Id(0)] public string BaseModel { get; set; } = "";

    /// <summary>model:ID for a published model, upload for uploaded files.</summary>
    [Id(1)] public string Source { get; set; } = "";

    /// <summary>The Blob folder (models container) holding its PEFT files.</summary>
    [Id(2)] public string BlobPrefix { get; set; } = "";

    /// <summary>Its LoRA rank.</summary>
    [Id(3)] public int Rank { get; set; }

    /// <summary>Whether an operator pinned it on its device.</summary>
    [Id(4)] public bool Pinned { get; set; }

    /// <summary>When it was (last) deployed; also the weights' cache version.</summary>
    [Id(5)] public DateTimeOffset DeployedAt { get; set; }
}
