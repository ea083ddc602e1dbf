namespace OpenLedger.Economy.Agents;

/// <summary>
/// Counts refusals in a sliding window. Below <see cref="Threshold"/> they are warnings; reaching it is misbehaviour,
/// and the count starts again so one burst is one piece of evidence.
/// </summary>
public sealed class StrikeWindow(TimeSpan window, int threshold)
{
    private readonly Queue<DateTimeOffset> _strikes = new();

    /// <summary>Refusals the window allows before they count as misbehaviour.</summary>
    public int Threshold { get; } = threshold;

    /// <summary>Records a strike; returns how many the window holds now and whether the threshold was reached.</summary>
    public (int Count, bool Reached) Strike(DateTimeOffset now)
    {
        while (_strikes.Count > 0 && now - _strikes.Peek() > window)
        {
            _strikes.Dequeue();
        }
        _strikes.Enqueue(now);
        var count = _strikes.Count;
        if (count < Threshold)
        {
            return (count, false);
        }
        _strikes.Clear();
        return (count, true);
    }
}
