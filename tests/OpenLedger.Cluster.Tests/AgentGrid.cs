namespace OpenLedger.Cluster.Tests;

/// <summary>
/// The agent tests' grid: an <see cref="AgentStack"/> that counts a few refusals a minute as flooding, holds a small
/// number of inference requests at once, with an operator key, the operators' Orleans dashboard on and /metrics behind
/// the operator key.
/// </summary>
public sealed class AgentGrid() : AgentStack(accounts: 30, settings: [
    $"--OpenLedger:Agents:FloodRefusals={FloodRefusals}", $"--OpenLedger:Agents:Keys:0={OperatorKey}", "--OpenLedger:Dashboard:Enabled=true",
    $"--OpenLedger:Serving:MaxQueuedRequests={MaxQueuedRequests}", "--OpenLedger:Metrics:RequireOperatorKey=true",
    $"--OpenLedger:Agents:Accounts:0:Key={FuzzAgentKey}", $"--OpenLedger:Agents:Accounts:0:Account={FuzzAgent}"]), IAsyncLifetime
{
    /// <summary>
    /// Inference requests the silo holds at once: above the 40 concurrent calls the limits test sends, small enough for a
    /// flood to meet it.
    /// </summary>
    public const int MaxQueuedRequests = 48;

    /// <summary>The private key of the unstaked agent the fuzz campaigns sign requests as (evidence against it costs no stake).</summary>
    public static readonly string FuzzAgentPrivateKey = OpenLedger.Client.Chain.DevelopmentMnemonic.PrivateKey(49);

    /// <summary>The configured key bound to <see cref="FuzzAgent"/>.</summary>
    public const string FuzzAgentKey = "agent-grid-fuzz-agent-key-7d31";

    /// <summary>The fuzz agent's address.</summary>
    public static readonly string FuzzAgent = OpenLedger.Datanets.Signing.PersonalSignature.AddressOf(FuzzAgentPrivateKey);

    /// <summary>Refusals for limits within a minute that count as flooding in this grid.</summary>
    public const int FloodRefusals = 8;

    /// <summary>The grid's operator key.</summary>
    public const string OperatorKey = "agent-grid-operator-key-5c1e";

    /// <inheritdoc />
    public Task InitializeAsync() => StartAsync();

    /// <inheritdoc />
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>
/// One agent grid shared by the gateway, earnings, metrics and dashboard tests (they run one after another).
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentGridCollection : ICollectionFixture<AgentGrid>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "agent grid";
}
