using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>The running wei and inference count of one Datanet, model, adapter or agent, overall and per epoch.</summary>
internal sealed class KeyTally(string key)
{
    private readonly Dictionary<long, (BigInteger Wei, long Inferences)> _epochs = [];

    /// <summary>The key (the index's shared string).</summary>
    public string Key { get; } = key;

    /// <summary>The wei over all epochs.</summary>
    public BigInteger Wei { get; private set; }

    /// <summary>The inferences over all epochs.</summary>
    public long Inferences { get; private set; }

    /// <summary>Counts one inference of <paramref name="epoch"/> bringing <paramref name="wei"/>.</summary>
    public void Add(long epoch, BigInteger wei)
    {
        Wei += wei;
        Inferences++;
        var (epochWei, epochInferences) = _epochs.GetValueOrDefault(epoch);
        _epochs[epoch] = (epochWei + wei, epochInferences + 1);
    }

    /// <summary>The wei and inferences of every epoch with any, oldest first.</summary>
    public IEnumerable<(long Epoch, BigInteger Wei, long Inferences)> PerEpoch() =>
        _epochs.OrderBy(e => e.Key).Select(e => (e.Key, e.Value.Wei, e.Value.Inferences));

    /// <summary>The wei and inferences of one epoch (zero when none).</summary>
    public (BigInteger Wei, long Inferences) In(long epoch) => _epochs.GetValueOrDefault(epoch);
}
