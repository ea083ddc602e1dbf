namespace OpenLedger.Model.Serving;

/// <summary>An adapter needs more bytes than the whole pool has: it can never be resident on this device.</summary>
public sealed class AdapterTooLargeException(string adapterId, long bytes, long budget)
    : Exception($"Adapter '{adapterId}' needs {bytes:N0} bytes but the adapter pool holds {budget:N0}; raise the pool's budget or serve it on a larger device.")
{
    /// <summary>The adapter.</summary>
    public string AdapterId { get; } = adapterId;

    /// <summary>Its size.</summary>
    public long Bytes { get; } = bytes;

    /// <summary>The pool's budget.</summary>
    public long Budget { get; } = budget;
}
