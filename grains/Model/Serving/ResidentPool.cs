using System.Diagnostics;

namespace OpenLedger.Model.Serving;

/// <summary>
/// The adapters resident on one device, under a byte budget rather than a count, so adapters of mixed ranks share
/// the device without running it out of memory. Every running request holds a lease on its adapter; leased and
/// pinned adapters are never evicted. Room is made by evicting the least recently used of the rest, and when that is
/// not enough the load is refused (the caller keeps the request queued) instead of allocating past the budget.
/// The pool is the device tier of <see cref="ServingMetrics"/>: every way in or out of it is counted here.
/// Owned by the serving worker: not thread-safe.
/// </summary>
public sealed class ResidentPool : IDisposable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<Entry> _retired = [];  // replaced or withdrawn while leased: freed at their last release
    private long _clock;

    /// <summary>A pool holding at most <paramref name="budgetBytes"/> of adapter factors.</summary>
    public ResidentPool(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budgetBytes);
        BudgetBytes = budgetBytes;
    }

    /// <summary>The byte budget.</summary>
    public long BudgetBytes { get; }

    /// <summary>Bytes resident now.</summary>
    public long ResidentBytes { get; private set; }

    /// <summary>Adapters made resident.</summary>
    public long Loads { get; private set; }

    /// <summary>Adapters evicted to make room (or on request).</summary>
    public long Evictions { get; private set; }

    /// <summary>How many adapters are resident.</summary>
    public int Count => _entries.Count;

    /// <summary>Ids of resident adapters, least recently used first.</summary>
    public IReadOnlyList<string> Resident => _entries.Values.OrderBy(e => e.LastUse).Select(e => e.Id).ToList();

    /// <summary>Whether <paramref name="adapterId"/> is resident.</summary>
    public bool Contains(string adapterId) => _entries.ContainsKey(adapterId);

    /// <summary>Leases <paramref name="adapterId"/> if it is resident; null otherwise.</summary>
    public ResidentAdapter? TryLease(string adapterId)
    {
        if (!_entries.TryGetValue(adapterId, out var entry))
        {
            return null;
        }
        entry.Leases++;
        entry.LastUse = ++_clock;
        return entry.Value;
    }

    /// <summary>
    /// Makes <paramref name="adapterId"/> resident with <paramref name="create"/> if <paramref name="bytes"/> fit,
    /// evicting unleased adapters when <paramref name="evict"/> allows. Returns false, changing nothing, when they do
    /// not fit now. An adapter larger than the whole budget can never fit: <see cref="AdapterTooLargeException"/>.
    /// </summary>
    public bool TryLoad(string adapterId, long bytes, Func<ResidentAdapter> create, bool evict)
    {
        if (bytes > BudgetBytes)
        {
            throw new AdapterTooLargeException(adapterId, bytes, BudgetBytes);
        }
        if (_entries.ContainsKey(adapterId))
        {
            return true;
        }
        // Pinned adapters never leave: what they hold is not there to be had, now or later.
        var pinned = _entries.Values.Where(e => e.Pinned).Sum(e => e.Bytes);
        if (bytes > BudgetBytes - pinned)
        {
            throw new AdapterTooLargeException(adapterId, bytes, BudgetBytes - pinned);
        }
        if (!MakeRoom(bytes, evict))
        {
            return false;
        }
        var started = Stopwatch.GetTimestamp();
        var value = create();
        _entries[adapterId] = new Entry(adapterId, value, value.Bytes) { LastUse = ++_clock };
        ResidentBytes += value.Bytes;
        Loads++;
        ServingMetrics.AdapterLoad.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("tier", ServingMetrics.DeviceTier), new KeyValuePair<string, object?>("source", ServingMetrics.HostTier));
        ServingMetrics.Loaded(ServingMetrics.DeviceTier);
        ServingMetrics.Resident(ServingMetrics.DeviceTier, 1);
        return true;
    }

    /// <summary>Ends one lease on <paramref name="adapter"/>, the resident copy of <paramref name="adapterId"/> it was given.</summary>
    public void Release(string adapterId, ResidentAdapter adapter)
    {
        if (_entries.TryGetValue(adapterId, out var entry) && ReferenceEquals(entry.Value, adapter))
        {
            entry.Leases = Math.Max(0, entry.Leases - 1);
            return;
        }
        var retired = _retired.Find(e => ReferenceEquals(e.Value, adapter));
        if (retired is not null && --retired.Leases <= 0)
        {
            _retired.Remove(retired);
            ResidentBytes -= retired.Bytes;
            retired.Value.Dispose();
        }
    }

    /// <summary>
    /// Withdraws <paramref name="adapterId"/> at once (its weights changed or it was undeployed): no new lease finds
    /// it, and its device copy is freed when the requests still using it finish.
    /// </summary>
    public void Withdraw(string adapterId)
    {
        if (!_entries.Remove(adapterId, out var entry))
        {
            return;
        }
        Evictions++;
        Left();
        if (entry.Leases == 0)
        {
            ResidentBytes -= entry.Bytes;
            entry.Value.Dispose();
        }
        else
        {
            _retired.Add(entry);
        }
    }

    /// <summary>Pins or unpins a resident adapter: pinned ones are never evicted to make room.</summary>
    public bool SetPinned(string adapterId, bool pinned)
    {
        if (!_entries.TryGetValue(adapterId, out var entry))
        {
            return false;
        }
        entry.Pinned = pinned;
        return true;
    }

    /// <summary>Whether <paramref name="adapterId"/> is resident and pinned.</summary>
    public bool IsPinned(string adapterId) => _entries.TryGetValue(adapterId, out var entry) && entry.Pinned;

    /// <summary>Evicts <paramref name="adapterId"/> now unless a request holds it. Returns whether it was evicted.</summary>
    public bool Evict(string adapterId)
    {
        if (!_entries.TryGetValue(adapterId, out var entry) || entry.Leases > 0)
        {
            return false;
        }
        Remove(entry);
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ServingMetrics.Resident(ServingMetrics.DeviceTier, -_entries.Count);
        foreach (var entry in _entries.Values.Concat(_retired))
        {
            entry.Value.Dispose();
        }
        _entries.Clear();
        _retired.Clear();
        ResidentBytes = 0;
    }

    // Evicts least recently used unleased, unpinned adapters until `bytes` fit; false (evicting nothing) if they cannot.
    private bool MakeRoom(long bytes, bool evict)
    {
        var free = BudgetBytes - ResidentBytes;
        if (free >= bytes)
        {
            return true;
        }
        if (!evict)
        {
            return false;
        }
        var victims = new List<Entry>();
        foreach (var entry in _entries.Values.Where(e => e.Leases == 0 && !e.Pinned).OrderBy(e => e.LastUse))
        {
            victims.Add(entry);
            free += entry.Bytes;
            if (free >= bytes)
            {
                break;
            }
        }
        if (free < bytes)
        {
            return false;
        }
        victims.ForEach(Remove);
        return true;
    }

    private void Remove(Entry entry)
    {
        _entries.Remove(entry.Id);
        ResidentBytes -= entry.Bytes;
        Evictions++;
        Left();
        entry.Value.Dispose();
    }

    private static void Left()
    {
        ServingMetrics.Evicted(ServingMetrics.DeviceTier);
        ServingMetrics.Resident(ServingMetrics.DeviceTier, -1);
    }

    private sealed class Entry(string id, ResidentAdapter value, long bytes)
    {
        public string Id { get; } = id;

        public ResidentAdapter Value { get; } = value;

        public long Bytes { get; } = bytes;

        public int Leases { get; set; }

        public bool Pinned { get; set; }

        public long LastUse { get; set; }
    }
}
