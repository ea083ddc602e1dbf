namespace OpenLedger.Grains.Storage;

/// <summary>Names of the grain-state providers, tables and blob containers the grid uses.</summary>
public static class StorageNames
{
    /// <summary>The Orleans grain storage provider for Datanet, directory and contributor state.</summary>
    public const string GrainState = "openledger";

    /// <summary>The Azure table holding one row per contribution (partition = Datanet id).</summary>
    public const string ContributionsTable = "contributions";

    /// <summary>Contribution payloads, one blob per keccak256 hash.</summary>
    public const string PayloadsContainer = "payloads";

    /// <summary>Snapshot manifests, immutable once written.</summary>
    public const string SnapshotsContainer = "snapshots";

    /// <summary>Base model checkpoint folders (<c>base/NAME/FILE</c>) and published adapters (<c>adapters/MODEL/FILE</c>).</summary>
    public const string ModelsContainer = "models";

    /// <summary>Training job checkpoints and example manifests (<c>JOB/...</c>); checkpoints are overwritten as jobs advance.</summary>
    public const string TrainingContainer = "training";

    /// <summary>Attribution indexes (<c>MODEL/...</c>): per-checkpoint gradient shards, DataInf inverses, suffix arrays, index.json.</summary>
    public const string AttributionContainer = "attribution";

    /// <summary>Closed epochs (<c>epochs/NNNNNNNN/...</c>): manifests of cumulative earnings and attribution batches.</summary>
    public const string EconomyContainer = "economy";
}
