namespace OpenLedger.Cluster.Tests;

/// <summary>The agent tests' grid: an <see cref="AgentStack"/> that counts a few refusals a minute as flooding.</summary>
public sealed class AgentGrid() : AgentStack(settings: [$"--OpenLedger:Agents:FloodRefusals={FloodRefusals}"]), IAsyncLifetime
{
    /// <summary>Refusals for limits within a minute that count as flooding in this grid.</summary>
    public const int FloodRefusals = 8;

    /// <inheritdoc />
    public Task InitializeAsync() => StartAsync();

    /// <inheritdoc />
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>One agent grid shared by the gateway and earnings tests (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class AgentGridCollection : ICollectionFixture<AgentGrid>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "agent grid";
}
