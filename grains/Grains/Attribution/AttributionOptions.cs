namespace OpenLedger.Grains.Attribution;

/// <summary>How attribution indexes are built at training time and how inferences are attributed (section OpenLedger:Attribution).</summary>
public sealed class AttributionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:Attribution";

    /// <summary>Rows k of each LoGra projection matrix: a projection of rank r keeps 2·r·k numbers per example. Default 16.</summary>
    public int ProjectionDimensions { get; set; } = 16;

    /// <summary>Seed of the projection matrices; every silo draws the same ones from it. Default 1729.</summary>
    public long ProjectionSeed { get; set; } = 1729;

    /// <summary>Training checkpoints whose gradients are kept (evenly spread, the last always among them). Default 4, as LESS does.</summary>
    public int RecordedCheckpoints { get; set; } = 4;

    /// <summary>Shards per Datanet: each is one shard grain, placed on any silo. Default 2.</summary>
    public int ShardsPerDatanet { get; set; } = 2;

    /// <summary>Examples per batch when computing training gradients. Default 16.</summary>
    public int GradientBatch { get; set; } = 16;

    /// <summary>Most influential examples kept as evidence per inference. Default 8.</summary>
    public int TopExamples { get; set; } = 8;

    /// <summary>
    /// Least relative influence (a cosine in the DataInf metric) for an example's influence to count towards its
    /// contributor's share. Default 0.1: on planted-source data every fact answer's source clears it or is caught by its
    /// verbatim spans, and answers about nothing in the data stay below it.
    /// </summary>
    public double MinRelevance { get; set; } = 0.1;

    /// <summary>Shortest verbatim span, in tokens, that counts as evidence. Default 6.</summary>
    public int MinSpanTokens { get; set; } = 6;

    /// <summary>Places listed per verbatim span. Default 4.</summary>
    public int MaxSpanSources { get; set; } = 4;

    /// <summary>Inferences waiting for attribution before serving waits for room (backpressure, never loss). Default 256.</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Attributions computed at once per silo. Default 2.</summary>
    public int Workers { get; set; } = 2;
}
