namespace OpenLedger.Economy.Agents;

/// <summary>
/// The nonces of signed requests seen within the accepted clock skew. A request older than the window is refused by
/// its timestamp, so a nonce only has to be remembered as long as its request could still be accepted.
/// </summary>
public sealed class NonceWindow(TimeSpan skew)
{
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Nonce, long ExpiresMs)> _expiry = new();

    /// <summary>How far a request's timestamp may be from the grid's clock.</summary>
    public TimeSpan Skew { get; } = skew;

    /// <summary>Records the nonce; false when it was seen before (a replay).</summary>
    public bool TryUse(string nonce, long timestampMs, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        while (_expiry.Count > 0 && _expiry.Peek().ExpiresMs < nowMs)
        {
            _seen.Remove(_expiry.Dequeue().Nonce);
        }
        if (_seen.ContainsKey(nonce))
        {
            return false;
        }
        var expires = timestampMs + (long)Skew.TotalMilliseconds;
        _seen[nonce] = expires;
        _expiry.Enqueue((nonce, Math.Max(expires, nowMs)));
        return true;
    }
}
