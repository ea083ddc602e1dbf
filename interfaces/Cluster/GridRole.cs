using Orleans.Metadata;

namespace OpenLedger.Cluster;

/// <summary>
/// A kind of work a silo may be configured to host. A silo hosts the grains of its roles and every grain that belongs to
/// no role (Datanets, contributors, models, directories, agents), so a grid can run GPU silos for serving and training
/// beside CPU silos for attribution and the ledger. A silo with no roles configured hosts them all.
/// </summary>
public enum GridRole
{
    /// <summary>Adapter grains: LoRA weights pinned to this silo's device and served in shared batches.</summary>
    Serving,

    /// <summary>Fine-tuning jobs, which need a device as much as serving does.</summary>
    Training,

    /// <summary>Proof of Attribution: influence shards and the attribution of each inference.</summary>
    Attribution,

    /// <summary>The OPEN economy: ledger shards, agent accounts, epoch settlement and the earnings read model.</summary>
    Ledger,
}

/// <summary>How roles appear in the cluster manifest every silo publishes.</summary>
public static class GridRoles
{
    /// <summary>The grain property that names the role a grain class belongs to; clients read roles from it.</summary>
    public const string GrainProperty = "openledger.role";

    /// <summary>Every role, in declaration order.</summary>
    public static IReadOnlyList<GridRole> All { get; } = Enum.GetValues<GridRole>();

    /// <summary>The roles a silo hosts: those of the grain classes its manifest publishes, in declaration order.</summary>
    public static IReadOnlyList<GridRole> Of(GrainManifest silo) =>
        silo.Grains.Values
            .Select(g => g.Properties.TryGetValue(GrainProperty, out var role) && Enum.TryParse<GridRole>(role, out var parsed) ? parsed : (GridRole?)null)
            .OfType<GridRole>()
            .Distinct()
            .Order()
            .ToList();
}
