namespace OpenLedger.Client;

/// <summary>How a client finds the cluster's gateways. Defaults match `./openledger up`.</summary>
public sealed class GridClientOptions
{
    /// <summary>The cluster to join. Default <c>openledger-local</c>.</summary>
    public string ClusterId { get; set; } = "openledger-local";

    /// <summary>The service id. Default <c>openledger</c>.</summary>
    public string ServiceId { get; set; } = "openledger";

    /// <summary>Membership source: AzureTable (default), Redis or Localhost.</summary>
    public string Clustering { get; set; } = "AzureTable";

    /// <summary>The Azure Storage connection string, for AzureTable membership.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>The Redis connection string, for Redis membership.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>The gateway port of a Localhost cluster. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Reads options from OPENLEDGER_* environment variables, as `./openledger` sets them.</summary>
    public static GridClientOptions FromEnvironment()
    {
        var options = new GridClientOptions();
        options.ClusterId = Environment.GetEnvironmentVariable("OPENLEDGER_CLUSTER_ID") ?? options.ClusterId;
        options.ServiceId = Environment.GetEnvironmentVariable("OPENLEDGER_SERVICE_ID") ?? options.ServiceId;
        options.Clustering = Environment.GetEnvironmentVariable("OPENLEDGER_CLUSTERING") ?? options.Clustering;
        options.StorageConnectionString = Environment.GetEnvironmentVariable("OPENLEDGER_STORAGE");
        options.RedisConnectionString = Environment.GetEnvironmentVariable("OPENLEDGER_REDIS");
        if (int.TryParse(Environment.GetEnvironmentVariable("OPENLEDGER_GATEWAY_PORT"), out var port))
        {
            options.GatewayPort = port;
        }
        return options;
    }
}
