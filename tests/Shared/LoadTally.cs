using System.Collections.Concurrent;
using System.Diagnostics;

namespace OpenLedger.Testing;

/// <summary>
/// What one kind of operation did in one phase of a load run: the latencies of the calls that were served, and every
/// call that was not, by its type (an HTTP status and the grid's code, or the exception's type).
/// </summary>
public sealed class LoadTally
{
    /// <summary>The grid refused the call for the silo's bound on requests it holds (429 <c>server_overloaded</c>).</summary>
    public const string Overloaded = "429 server_overloaded";

    private readonly ConcurrentBag<double> _latencies = [];
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<double> _refusalWaits = [];

    /// <summary>The milliseconds each served call took, from sending to its whole answer.</summary>
    public IReadOnlyCollection<double> Latencies => _latencies;

    /// <summary>Calls not served, by type.</summary>
    public IReadOnlyDictionary<string, int> Errors => _errors;

    /// <summary>The <c>Retry-After</c> (seconds) of each refusal for the silo's bound; 0 where a refusal named none.</summary>
    public IReadOnlyCollection<double> RefusalWaits => _refusalWaits;

    /// <summary>Calls served.</summary>
    public int Served => _latencies.Count;

    /// <summary>Calls refused for the silo's bound.</summary>
    public int Refused => _errors.GetValueOrDefault(Overloaded);

    /// <summary>Calls that failed otherwise: neither served nor refused for the bound.</summary>
    public int Failed => _errors.Where(e => e.Key != Overloaded).Sum(e => e.Value);

    /// <summary>Calls sent.</summary>
    public int Sent => Served + _errors.Values.Sum();

    /// <summary>Counts a served call started at <paramref name="started"/> (a Stopwatch timestamp).</summary>
    public void Answered(long started) => _latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

    /// <summary>Counts a refusal for the silo's bound and the wait it asked for.</summary>
    public void Refuse(TimeSpan? retryAfter)
    {
        _refusalWaits.Add(retryAfter?.TotalSeconds ?? 0);
        Fail(Overloaded);
    }

    /// <summary>Counts a call that was not served, by <paramref name="type"/>.</summary>
    public void Fail(string type) => _errors.AddOrUpdate(type, 1, (_, n) => n + 1);
}
