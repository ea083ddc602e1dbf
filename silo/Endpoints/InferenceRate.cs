namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// Inferences and tokens served per second over the last minute, kept in one bucket per second: a fixed 60 slots,
/// so however many answers a silo serves, the rate costs the same memory and time to read.
/// </summary>
public sealed class InferenceRate
{
    /// <summary>The seconds the rate is averaged over.</summary>
    public const int WindowSeconds = 60;

    private readonly long[] _second = new long[WindowSeconds];
    private readonly long[] _inferences = new long[WindowSeconds];
    private readonly long[] _tokens = new long[WindowSeconds];

    /// <summary>Counts one inference of <paramref name="tokens"/> tokens served at <paramref name="at"/>.</summary>
    public void Add(DateTimeOffset at, long tokens)
    {
        var second = at.ToUnixTimeSeconds();
        var slot = Slot(second);
        if (_second[slot] != second)
        {
            // The slot last held a second that has left the window: start it again.
            (_second[slot], _inferences[slot], _tokens[slot]) = (second, 0, 0);
        }
        _inferences[slot]++;
        _tokens[slot] += tokens;
    }

    /// <summary>Inferences per second for each of the last <see cref="WindowSeconds"/> whole seconds before <paramref name="now"/>, oldest first.</summary>
    public long[] PerSecond(DateTimeOffset now) => Series(now, _inferences);

    /// <summary>Tokens per second for each of the last <see cref="WindowSeconds"/> whole seconds before <paramref name="now"/>, oldest first.</summary>
    public long[] TokensPerSecond(DateTimeOffset now) => Series(now, _tokens);

    // The second now running is left out: it is still filling, and would make the latest point look like a drop.
    private long[] Series(DateTimeOffset now, long[] counts)
    {
        var current = now.ToUnixTimeSeconds();
        var series = new long[WindowSeconds];
        for (var i = 0; i < WindowSeconds; i++)
        {
            var second = current - WindowSeconds + i;
            var slot = Slot(second);
            series[i] = _second[slot] == second ? counts[slot] : 0;
        }
        return series;
    }

    private static int Slot(long second) => (int)(((second % WindowSeconds) + WindowSeconds) % WindowSeconds);
}
