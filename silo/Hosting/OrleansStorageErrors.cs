using System.Diagnostics.Metrics;
using OpenLedger.Grains.Diagnostics;

namespace OpenLedger.Silo.Hosting;

/// <summary>
/// Counts Orleans' failed grain-state reads, writes and clears as the grid's storage errors (store "grain_state"),
/// so one metric covers every store. Orleans reports them on its own meter, tagged by state type; only the operation
/// is kept, which keeps the series few.
/// </summary>
public sealed class OrleansStorageErrors : IDisposable
{
    private const string OrleansMeter = "Microsoft.Orleans";

    private static readonly Dictionary<string, string> _operations = new(StringComparer.Ordinal)
    {
        ["orleans-storage-read-errors"] = "read",
        ["orleans-storage-write-errors"] = "write",
        ["orleans-storage-clear-errors"] = "delete",
    };

    private readonly MeterListener _listener = new();

    /// <summary>Starts listening.</summary>
    public OrleansStorageErrors()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OrleansMeter && _operations.ContainsKey(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Count(instrument, value));
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Count(instrument, value));
        _listener.Start();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private static void Count(Instrument instrument, long errors) =>
        StorageMetrics.Failed(StorageMetrics.GrainState, _operations[instrument.Name], errors);
}
