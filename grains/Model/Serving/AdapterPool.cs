namespace OpenLedger.Model.Serving;

/// <summary>
/// Resident adapters under a byte budget (not a count), so adapters of mixed ranks share a device without running
/// it out of memory. A request leases the adapters it needs; leased adapters are never evicted. To make room the
/// least recently used unleased adapters go first; when everything resident is leased, an acquire waits for a
/// release instead of failing (until its cancellation fires). An adapter larger than the whole budget is refused.
/// Concurrent acquires of one adapter load it once.
/// </summary>
/// <typeparam name="T">The resident form of an adapter (its factors on the device).</typeparam>
public sealed class AdapterPool<T> : IDisposable where T : IDisposable
{
    private readonly Func<string, CancellationToken, Task<(T Value, long Bytes)>> _load;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<Entry>> _loading = new(StringComparer.Ordinal);
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _clock;

    /// <summary>A pool of <paramref name="budgetBytes"/> that fetches missing adapters with <paramref name="load"/>.</summary>
    public AdapterPool(long budgetBytes, Func<string, CancellationToken, Task<(T Value, long Bytes)>> load)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budgetBytes);
        BudgetBytes = budgetBytes;
        _load = load;
    }

    /// <summary>The byte budget.</summary>
    public long BudgetBytes { get; }

    /// <summary>Bytes resident now.</summary>
    public long ResidentBytes { get; private set; }

    /// <summary>Acquires that found their adapter resident.</summary>
    public long Hits { get; private set; }

    /// <summary>Acquires that had to load their adapter.</summary>
    public long Misses { get; private set; }

    /// <summary>Adapters evicted to make room.</summary>
    public long Evictions { get; private set; }

    /// <summary>Ids of resident adapters, least recently used first.</summary>
    public IReadOnlyList<string> Resident
    {
        get
        {
            lock (_lock)
            {
                return _entries.Values.OrderBy(e => e.LastUse).Select(e => e.Id).ToList();
            }
        }
    }

    /// <summary>
    /// Leases <paramref name="adapterId"/>, loading it (and evicting others) as needed. Dispose the lease when the
    /// request is done with the adapter.
    /// </summary>
    public async Task<Lease> AcquireAsync(string adapterId, CancellationToken cancellation = default)
    {
        while (true)
        {
            Task<Entry>? loading;
            Task released;
            lock (_lock)
            {
                if (_entries.TryGetValue(adapterId, out var resident))
                {
                    Hits++;
                    return Pin(resident);
                }
                if (!_loading.TryGetValue(adapterId, out loading))
                {
                    // Shared by every waiter, so one caller giving up must not cancel the others' load.
                    loading = LoadAsync(adapterId, CancellationToken.None);
                    _loading[adapterId] = loading;
                    Misses++;
                }
                released = _released.Task;
            }
            try
            {
                var entry = await loading.WaitAsync(cancellation);
                lock (_lock)
                {
                    if (_entries.TryGetValue(adapterId, out var now) && ReferenceEquals(now, entry))
                    {
                        return Pin(entry);
                    }
                }
            }
            catch (NoRoomException)
            {
                // Everything resident is leased: wait for a release, then try again.
                await released.WaitAsync(cancellation);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var entry in _entries.Values)
            {
                entry.Value.Dispose();
            }
            _entries.Clear();
            ResidentBytes = 0;
        }
    }

    private async Task<Entry> LoadAsync(string adapterId, CancellationToken cancellation)
    {
        try
        {
            await Task.Yield();
            var (value, bytes) = await _load(adapterId, cancellation);
            if (bytes > BudgetBytes)
            {
                value.Dispose();
                throw new AdapterTooLargeException(adapterId, bytes, BudgetBytes);
            }
            lock (_lock)
            {
                if (!MakeRoom(bytes))
                {
                    value.Dispose();
                    throw new NoRoomException();
                }
                var entry = new Entry(adapterId, value, bytes) { LastUse = ++_clock };
                _entries[adapterId] = entry;
                ResidentBytes += bytes;
                return entry;
            }
        }
        finally
        {
            lock (_lock)
            {
                _loading.Remove(adapterId);
            }
        }
    }

    // Evicts least recently used unleased adapters until `bytes` fit; false (evicting nothing) if they cannot.
    private bool MakeRoom(long bytes)
    {
        var free = BudgetBytes - ResidentBytes;
        var victims = new List<Entry>();
        foreach (var entry in _entries.Values.Where(e => e.Leases == 0).OrderBy(e => e.LastUse))
        {
            if (free >= bytes)
            {
                break;
            }
            victims.Add(entry);
            free += entry.Bytes;
        }
        if (free < bytes)
        {
            return false;
        }
        foreach (var victim in victims)
        {
            _entries.Remove(victim.Id);
            ResidentBytes -= victim.Bytes;
            Evictions++;
            victim.Value.Dispose();
        }
        return true;
    }

    private Lease Pin(Entry entry)
    {
        entry.Leases++;
        entry.LastUse = ++_clock;
        return new Lease(this, entry);
    }

    private void Release(Entry entry)
    {
        TaskCompletionSource released;
        lock (_lock)
        {
            entry.Leases--;
            released = _released;
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        released.TrySetResult();
    }

    internal sealed class Entry(string id, T value, long bytes)
    {
        public string Id { get; } = id;

        public T Value { get; } = value;

        public long Bytes { get; } = bytes;

        public int Leases { get; set; }

        public long LastUse { get; set; }
    }

    private sealed class NoRoomException : Exception;

    /// <summary>A request's hold on a resident adapter; while held, the adapter stays resident.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly AdapterPool<T> _pool;
        private readonly Entry _entry;
        private int _disposed;

        internal Lease(AdapterPool<T> pool, Entry entry)
        {
            _pool = pool;
            _entry = entry;
        }

        /// <summary>The adapter's id.</summary>
        public string AdapterId => _entry.Id;

        /// <summary>The resident adapter.</summary>
        public T Value => _entry.Value;

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _pool.Release(_entry);
            }
        }
    }
}
