using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;

namespace OpenLedger.Model.Tests;

/// <summary>The device pool: bytes, not counts; leased and pinned adapters stay; a full pool refuses rather than overflows.</summary>
public sealed class ResidentPoolTests : IDisposable
{
    private readonly LlamaModel _model = TinyModels.Random(TinyModels.Config(), seed: 61);
    private readonly Dictionary<int, PeftAdapter> _byRank = [];
    private readonly Dictionary<string, ResidentAdapter> _leased = [];

    [Fact]
    public void The_pool_stays_within_its_byte_budget_and_evicts_least_recently_used_first()
    {
        var small = Bytes(2);
        using var pool = new ResidentPool(3 * small);
        Assert.True(Load(pool, "a", 2));
        Assert.True(Load(pool, "b", 2));
        Assert.True(Load(pool, "c", 2));
        Assert.Equal(3 * small, pool.ResidentBytes);
        Release(pool, "a"); Release(pool, "b"); Release(pool, "c");
        Assert.NotNull(Lease(pool, "a"));                     // a becomes the most recent
        Release(pool, "a");
        Assert.True(Load(pool, "big", 4));                   // twice the bytes: evicts b then c, not a
        Assert.Equal(["a", "big"], pool.Resident);
        Assert.True(pool.ResidentBytes <= pool.BudgetBytes);
        Assert.Equal(2, pool.Evictions);
    }

    [Fact]
    public void Leased_and_pinned_adapters_are_never_evicted_and_a_full_pool_refuses_without_changing()
    {
        var small = Bytes(2);
        using var pool = new ResidentPool(2 * small);
        Assert.True(Load(pool, "a", 2));                     // leased below
        Assert.True(Load(pool, "b", 2));
        Release(pool, "b");
        Assert.True(pool.SetPinned("b", true));
        Assert.NotNull(Lease(pool, "a"));
        Assert.False(Load(pool, "c", 2));                    // refused: a is leased, b is pinned
        Assert.Equal(["a", "b"], pool.Resident.Order());
        Assert.False(pool.Evict("a"));
        Release(pool, "a");
        Release(pool, "a");
        Assert.True(Load(pool, "c", 2));                     // a is idle now and goes; b stays pinned
        Assert.Equal(["b", "c"], pool.Resident.Order());
    }

    [Fact]
    public void A_withdrawn_adapter_serves_its_running_requests_and_is_freed_at_their_last_release()
    {
        var small = Bytes(2);
        using var pool = new ResidentPool(3 * small);
        Assert.True(Load(pool, "a", 2));
        var old = _leased["a"];
        pool.Withdraw("a");                                  // new weights are coming: no new lease may find the old ones
        Assert.False(pool.Contains("a"));
        Assert.Equal(small, pool.ResidentBytes);             // still held by its running request
        Assert.True(Load(pool, "a", 2));
        Assert.NotSame(old, _leased["a"]);
        Assert.Equal(2 * small, pool.ResidentBytes);
        pool.Release("a", old);
        Assert.Equal(small, pool.ResidentBytes);
    }

    [Fact]
    public void Bytes_held_by_pinned_adapters_are_not_offered_to_others()
    {
        var small = Bytes(2);
        using var pool = new ResidentPool(3 * small);
        Assert.True(Load(pool, "a", 2));
        Assert.True(Load(pool, "b", 2));
        Release(pool, "a");
        Release(pool, "b");
        pool.SetPinned("a", true);
        pool.SetPinned("b", true);
        // Twice the bytes of one small adapter, with one small adapter's room left that pins will never free.
        var error = Assert.Throws<AdapterTooLargeException>(() => Load(pool, "big", 4));
        Assert.Contains("'big'", error.Message);
        Assert.True(Load(pool, "c", 2));
    }

    [Fact]
    public void An_adapter_larger_than_the_whole_budget_is_refused_by_name()
    {
        using var pool = new ResidentPool(Bytes(2));
        var error = Assert.Throws<AdapterTooLargeException>(() => Load(pool, "huge", 8));
        Assert.Contains("Adapter 'huge' needs", error.Message);
        Assert.Empty(pool.Resident);
    }

    public void Dispose() => _model.Dispose();

    private long Bytes(int rank) => ResidentAdapter.BytesFor(Adapter(rank), _model);

    // Loads and leases (as an admission does) when it fits.
    private bool Load(ResidentPool pool, string id, int rank)
    {
        var adapter = Adapter(rank);
        var loaded = pool.TryLoad(id, ResidentAdapter.BytesFor(adapter, _model), () => ResidentAdapter.Create(adapter, _model), evict: true);
        if (loaded)
        {
            Lease(pool, id);
        }
        return loaded;
    }

    private ResidentAdapter? Lease(ResidentPool pool, string id)
    {
        var leased = pool.TryLease(id);
        if (leased is not null)
        {
            _leased[id] = leased;
        }
        return leased;
    }

    private void Release(ResidentPool pool, string id) => pool.Release(id, _leased[id]);

    private PeftAdapter Adapter(int rank)
    {
        if (!_byRank.TryGetValue(rank, out var adapter))
        {
            adapter = SyntheticAdapters.Create(_model, new LoraSettings(rank, rank, 0, LoraSettings.AllTargets), rank, 0.1, "tiny");
            _byRank[rank] = adapter;
        }
        return adapter;
    }
}
