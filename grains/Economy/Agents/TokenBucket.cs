namespace OpenLedger.Economy.Agents;

/// <summary>
/// A rate limit as a bucket that refills at <see cref="Rate"/> per second up to one second's worth. A call takes what
/// it costs; one larger than the bucket passes only when the bucket is full, so a big request is slowed, not banned.
/// Unused cost comes back with <see cref="Refund"/>.
/// </summary>
public sealed class TokenBucket(double rate, DateTimeOffset now)
{
    private double _level = Math.Max(rate, 1);
    private DateTimeOffset _at = now;

    /// <summary>Units per second.</summary>
    public double Rate { get; private set; } = rate;

    private double Capacity => Math.Max(Rate, 1);

    /// <summary>Changes the rate, keeping the level within the new capacity.</summary>
    public void Retune(double rate)
    {
        Rate = rate;
        _level = Math.Min(_level, Capacity);
    }

    /// <summary>Takes <paramref name="cost"/> if it fits; otherwise how long until it would.</summary>
    public (bool Taken, TimeSpan RetryAfter) TryTake(double cost, DateTimeOffset now)
    {
        Refill(now);
        var needed = Math.Min(cost, Capacity);
        if (_level >= needed)
        {
            _level -= cost;
            return (true, TimeSpan.Zero);
        }
        return (false, TimeSpan.FromSeconds((needed - _level) / Rate));
    }

    /// <summary>Gives back cost taken but not used.</summary>
    public void Refund(double amount, DateTimeOffset now)
    {
        Refill(now);
        _level = Math.Min(Capacity, _level + amount);
    }

    private void Refill(DateTimeOffset now)
    {
        var seconds = Math.Max(0, (now - _at).TotalSeconds);
        _level = Math.Min(Capacity, _level + seconds * Rate);
        _at = now;
    }
}
