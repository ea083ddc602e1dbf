using Microsoft.Extensions.Options;
using OpenLedger.Errors;
using OpenLedger.Grains.Diagnostics;

namespace OpenLedger.Grains.Serving;

/// <summary>
/// The silo-wide bound on inference requests held by this silo's doors (<see cref="ServingHostOptions.MaxQueuedRequests"/>).
/// Per-agent limits stop one agent from flooding; this stops many agents together from queueing work without bound in
/// the serving engines. A door takes a place before it asks the agent's grain anything, so a refused request touches
/// no agent state, holds nothing of the deposit and is never charged.
/// </summary>
public sealed class ServingAdmission
{
    private readonly int _bound;
    private readonly double _retryAfterSeconds;
    private int _held;
    private readonly Lock _peakLock = new();
    private int _peak;

    /// <summary>Reads the bound from the serving options.</summary>
    public ServingAdmission(IOptions<ServingHostOptions> options)
    {
        _bound = options.Value.MaxQueuedRequests;
        _retryAfterSeconds = options.Value.OverloadRetryAfter.TotalSeconds;
        GridMetrics.ServingAdmissionCapacity.Record(_bound);
        GridMetrics.ServingAdmittedPeak.Record(0);
    }

    /// <summary>How many requests the silo holds at once.</summary>
    public int Bound => _bound;

    /// <summary>The requests held now.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>The most requests held at once since the silo started; never more than <see cref="Bound"/>.</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>
    /// Takes a place for one request, or throws <see cref="ServingOverloadedException"/> when every place is taken.
    /// Disposing the place gives it back, once.
    /// </summary>
    public Place Enter()
    {
        // Compare-and-swap rather than increment-then-undo: the count never passes the bound, even for an instant.
        var held = Volatile.Read(ref _held);
        while (true)
        {
            if (held >= _bound)
            {
                GridMetrics.ServingOverloadRefusals.Add(1);
                throw new ServingOverloadedException(_bound, _retryAfterSeconds);
            }
            var seen = Interlocked.CompareExchange(ref _held, held + 1, held);
            if (seen == held)
            {
                break;
            }
            held = seen;
        }
        GridMetrics.ServingAdmitted.Add(1);
        RaisePeak(held + 1);
        return new Place(this);
    }

    // Rare (only a new high), so a lock keeps the field and the exported gauge in the same order.
    private void RaisePeak(int held)
    {
        if (held <= Volatile.Read(ref _peak))
        {
            return;
        }
        lock (_peakLock)
        {
            if (held > _peak)
            {
                Volatile.Write(ref _peak, held);
                GridMetrics.ServingAdmittedPeak.Record(held);
            }
        }
    }

    private void Leave()
    {
        Interlocked.Decrement(ref _held);
        GridMetrics.ServingAdmitted.Add(-1);
    }

    /// <summary>One request's place in the silo; disposing it frees the place however the request ended.</summary>
    public sealed class Place : IDisposable
    {
        private ServingAdmission? _owner;

        internal Place(ServingAdmission owner) => _owner = owner;

        /// <inheritdoc />
        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Leave();
    }
}
