using OpenLedger.Model.Serving;

namespace OpenLedger.Model.Tests;

public sealed class AdapterPoolTests
{
    [Fact]
    public async Task The_pool_stays_within_its_byte_budget_and_evicts_least_recently_used_first()
    {
        var loads = new List<string>();
        using var pool = new AdapterPool<Resident>(100, Loader(loads, id => id.StartsWith("big", StringComparison.Ordinal) ? 60 : 30));
        (await pool.AcquireAsync("a")).Dispose();
        (await pool.AcquireAsync("b")).Dispose();
        (await pool.AcquireAsync("c")).Dispose();
        Assert.Equal(90, pool.ResidentBytes);
        (await pool.AcquireAsync("a")).Dispose();           // a is now the most recent
        (await pool.AcquireAsync("big1")).Dispose();        // needs 60: evicts b then c, not a
        Assert.Equal(["a", "big1"], pool.Resident);
        Assert.True(pool.ResidentBytes <= pool.BudgetBytes);
        Assert.Equal(2, pool.Evictions);
        Assert.Equal(1, pool.Hits);
        Assert.Equal(["a", "b", "c", "big1"], loads);
    }

    [Fact]
    public async Task Leased_adapters_are_never_evicted_and_a_full_pool_queues_until_a_release()
    {
        using var pool = new AdapterPool<Resident>(60, Loader([], _ => 30));
        var a = await pool.AcquireAsync("a");
        var b = await pool.AcquireAsync("b");
        var waiting = pool.AcquireAsync("c");
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted, "c must wait while a and b are leased");
        Assert.False(a.Value.Disposed);
        b.Dispose();
        using var c = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["a", "c"], pool.Resident.Order());
        Assert.False(a.Value.Disposed);
        a.Dispose();
    }

    [Fact]
    public async Task An_adapter_larger_than_the_budget_is_refused_and_a_queued_acquire_can_be_cancelled()
    {
        using var pool = new AdapterPool<Resident>(50, Loader([], id => id == "huge" ? 80 : 50));
        var error = await Assert.ThrowsAsync<AdapterTooLargeException>(() => pool.AcquireAsync("huge"));
        Assert.Contains("needs 80 bytes but the adapter pool holds 50", error.Message);

        using var held = await pool.AcquireAsync("a");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pool.AcquireAsync("b", cancel.Token));
        Assert.Equal(["a"], pool.Resident);
    }

    [Fact]
    public async Task Concurrent_acquires_of_one_adapter_load_it_once()
    {
        var loads = new List<string>();
        using var pool = new AdapterPool<Resident>(100, Loader(loads, _ => 10, delay: TimeSpan.FromMilliseconds(100)));
        var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => pool.AcquireAsync("shared")));
        Assert.Single(loads);
        Assert.All(leases, l => Assert.Same(leases[0].Value, l.Value));
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
    }

    private static Func<string, CancellationToken, Task<(Resident, long)>> Loader(List<string> loads, Func<string, long> size, TimeSpan? delay = null) =>
        async (id, cancellation) =>
        {
            if (delay is { } d)
            {
                await Task.Delay(d, cancellation);
            }
            lock (loads)
            {
                loads.Add(id);
            }
            return (new Resident(), size(id));
        };

    public sealed class Resident : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
