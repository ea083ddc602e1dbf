namespace OpenLedger.Silo.Flight;

/// <summary>
/// The lifetime of a server started and stopped by its owner: it listens to no signals and prints nothing, so
/// SIGTERM and Ctrl+C stay with the silo's own host, which stops this server in turn.
/// </summary>
internal sealed class HostedByOwnerLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
