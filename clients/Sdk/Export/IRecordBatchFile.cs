using Apache.Arrow;

namespace OpenLedger.Client.Export;

/// <summary>A file being written batch by batch; nothing is valid until <see cref="CompleteAsync"/>.</summary>
internal interface IRecordBatchFile : IAsyncDisposable
{
    /// <summary>Appends one batch.</summary>
    Task WriteAsync(RecordBatch batch, CancellationToken cancellation);

    /// <summary>Writes the footer; the file is then whole.</summary>
    Task CompleteAsync(CancellationToken cancellation);
}
