using System.Collections.Concurrent;

namespace OpenLedger.Grains.Attribution;

/// <summary>
/// Things loaded once per key and shared by every caller that asks meanwhile; a load that fails is forgotten, so the
/// next caller tries again rather than inheriting the failure.
/// </summary>
public sealed class LoadOnce<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _loads = new(StringComparer.Ordinal);

    /// <summary>Loads that finished successfully.</summary>
    public IEnumerable<T> Loaded => _loads.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully).Select(l => l.Value.Result);

    /// <summary>The value for <paramref name="key"/>, loading it with <paramref name="load"/> if nobody has.</summary>
    public async Task<T> GetAsync(string key, Func<Task<T>> load)
    {
        var entry = _loads.GetOrAdd(key, _ => new Lazy<Task<T>>(load));
        try
        {
            return await entry.Value;
        }
        catch
        {
            _loads.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(key, entry));
            throw;
        }
    }

    /// <summary>Forgets everything.</summary>
    public void Clear() => _loads.Clear();
}
