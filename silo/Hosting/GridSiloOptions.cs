using System.Net;
using OpenLedger.Cluster;

namespace OpenLedger.Silo.Hosting;

/// <summary>Which membership table the silos of a cluster use to find each other.</summary>
public enum ClusteringKind
{
    /// <summary>Azure Table storage (Azurite locally). The default: the same account that holds grain state.</summary>
    AzureTable,

    /// <summary>Redis, for deployments that already run one.</summary>
    Redis,

    /// <summary>A single silo on this machine, for development; no membership table.</summary>
    Localhost,
}

/// <summary>How a silo joins its cluster and where its state lives. Bound from <c>OpenLedger:Silo</c>.</summary>
public sealed class GridSiloOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:Silo";

    /// <summary>Silos with the same cluster id form one cluster. Default <c>openledger-local</c>.</summary>
    public string ClusterId { get; set; } = "openledger-local";

    /// <summary>Identifies the service across deployments; grain state is keyed by it. Default <c>openledger</c>.</summary>
    public string ServiceId { get; set; } = "openledger";

    /// <summary>The address other silos and clients reach this one at. Default 127.0.0.1.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Membership provider. Default <see cref="ClusteringKind.AzureTable"/>.</summary>
    public ClusteringKind Clustering { get; set; } = ClusteringKind.AzureTable;

    /// <summary>Azure Storage connection string for grain state, the contribution ledger and blobs. Required (or <see cref="StorageConnectionStringFile"/>).</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>A file holding <see cref="StorageConnectionString"/> (it carries the account key), readable by the silo only.</summary>
    public string? StorageConnectionStringFile { get; set; }

    /// <summary>Redis connection string (StackExchange.Redis syntax). Required: the serving inventory and adapter cache live there, and so does membership when <see cref="Clustering"/> is Redis.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>A file holding <see cref="RedisConnectionString"/> (it may carry a password), readable by the silo only.</summary>
    public string? RedisConnectionStringFile { get; set; }

    /// <summary>
    /// The port of the Arrow Flight endpoint that serves the earnings tables (gRPC over HTTP/2 without TLS, apart from
    /// the HTTP/1 API), or null for none, the default; 0 picks a free port and logs it.
    /// </summary>
    public int? FlightPort { get; set; }

    /// <summary>The address the Flight endpoint listens on. Default 127.0.0.1: only this machine reads the tables.</summary>
    public string FlightAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The roles this silo hosts, comma-separated from Serving, Training, Attribution and Ledger (e.g. <c>Serving,Training</c>
    /// for a GPU silo, <c>Attribution,Ledger</c> for a CPU one). Empty, the default, hosts every role. Grains that belong to
    /// no role run on every silo.
    /// </summary>
    public string Roles { get; set; } = "";

    /// <summary>How long a SIGTERM waits for in-flight calls and grain deactivation. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The roles parsed: every role when none is configured. Valid after validation.</summary>
    public IReadOnlySet<GridRole> HostedRoles => SiloRoles.Parse(Roles);

    /// <summary>The advertised address parsed; valid after validation.</summary>
    public IPAddress AdvertisedIp => IPAddress.Parse(AdvertisedAddress);
}
