using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>A Datanet's earnings: its totals, and each contributor's wei in it for the ranking.</summary>
internal sealed class DatanetTally(string datanetId)
{
    private readonly Dictionary<string, BigInteger> _contributors = new(StringComparer.Ordinal);

    /// <summary>The Datanet's wei and inferences, overall and per epoch.</summary>
    public KeyTally Totals { get; } = new(datanetId);

    /// <summary>Each contributor's wei in the Datanet.</summary>
    public IReadOnlyDictionary<string, BigInteger> Contributors => _contributors;

    /// <summary>Credits <paramref name="contributor"/> with <paramref name="wei"/> more.</summary>
    public void Credit(string contributor, BigInteger wei) => _contributors[contributor] = _contributors.GetValueOrDefault(contributor) + wei;

    /// <summary>
    /// The <paramref name="count"/> largest earners, most first, ties to the lower address. A bounded heap over the
    /// Datanet's contributors: the cost grows with its contributors, never with its accruals.
    /// </summary>
    public IReadOnlyList<RankedContributor> Top(int count)
    {
        var heap = new PriorityQueue<KeyValuePair<string, BigInteger>, KeyValuePair<string, BigInteger>>(count + 1, LowestFirst.Instance);
        foreach (var entry in _contributors)
        {
            heap.Enqueue(entry, entry);
            if (heap.Count > count)
            {
                heap.Dequeue();
            }
        }
        var top = new List<KeyValuePair<string, BigInteger>>(heap.Count);
        while (heap.Count > 0)
        {
            top.Add(heap.Dequeue());
        }
        top.Reverse();
        return [.. top.Select((entry, i) => new RankedContributor(i + 1, entry.Key, entry.Value))];
    }

    /// <summary>Puts the weakest earner first: less wei, or equal wei and the higher address.</summary>
    private sealed class LowestFirst : IComparer<KeyValuePair<string, BigInteger>>
    {
        public static LowestFirst Instance { get; } = new();

        public int Compare(KeyValuePair<string, BigInteger> a, KeyValuePair<string, BigInteger> b)
        {
            var byWei = a.Value.CompareTo(b.Value);
            return byWei != 0 ? byWei : string.CompareOrdinal(b.Key, a.Key);
        }
    }
}
