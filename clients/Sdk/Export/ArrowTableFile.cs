using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace OpenLedger.Client.Export;

/// <summary>An Arrow IPC file (file format, with its footer), written as batches arrive.</summary>
internal sealed class ArrowTableFile(Stream output, Schema schema) : IRecordBatchFile
{
    private readonly ArrowFileWriter _writer = new(output, schema, leaveOpen: true);
    private bool _started;

    /// <inheritdoc />
    public async Task WriteAsync(RecordBatch batch, CancellationToken cancellation)
    {
        await StartAsync(cancellation);
        await _writer.WriteRecordBatchAsync(batch, cancellation);
    }

    /// <inheritdoc />
    public async Task CompleteAsync(CancellationToken cancellation)
    {
        await StartAsync(cancellation);
        await _writer.WriteEndAsync(cancellation);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task StartAsync(CancellationToken cancellation)
    {
        if (!_started)
        {
            await _writer.WriteStartAsync(cancellation);
            _started = true;
        }
    }
}
