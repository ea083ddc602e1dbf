namespace OpenLedger.Testing;

/// <summary>Waiting for what the grid finishes in the background (attribution, charges, slashes).</summary>
public static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds or <paramref name="timeout"/> (30 s) passes; returns the last reading either way.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var last = await read();
        while (!done(last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            last = await read();
        }
        return last;
    }
}
