namespace OpenLedger.Grains.Datanets;

/// <summary>Limits on what Datanets accept. Bound from the configuration section <c>OpenLedger:Datanets</c>.</summary>
public sealed class DatanetOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:Datanets";

    /// <summary>The largest payload one contribution may carry, in bytes. Default 4 MiB.</summary>
    public long MaxPayloadBytes { get; set; } = 4 * 1024 * 1024;
}
