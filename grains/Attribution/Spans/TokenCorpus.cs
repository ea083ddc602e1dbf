namespace OpenLedger.Attribution.Spans;

/// <summary>
/// Training documents as one token stream for a suffix array: each document's tokens followed by a separator that
/// occurs nowhere else (document d ends with -(d + 1)), so no match can run from one document into the next.
/// Token ids must be non-negative.
/// </summary>
public sealed class TokenCorpus
{
    private TokenCorpus(int[] tokens, int[] starts)
    {
        Tokens = tokens;
        Starts = starts;
    }

    /// <summary>The stream: documents and their separators.</summary>
    public int[] Tokens { get; }

    /// <summary>Where each document starts in <see cref="Tokens"/>.</summary>
    public int[] Starts { get; }

    /// <summary>Number of documents.</summary>
    public int Documents => Starts.Length;

    /// <summary>Joins <paramref name="documents"/> (token ids, each non-negative) into one stream.</summary>
    public static TokenCorpus From(IEnumerable<IReadOnlyList<int>> documents)
    {
        var tokens = new List<int>();
        var starts = new List<int>();
        foreach (var document in documents)
        {
            starts.Add(tokens.Count);
            foreach (var token in document)
            {
                if (token < 0)
                {
                    throw new ArgumentException($"Document {starts.Count - 1} holds token id {token}; token ids must be non-negative.");
                }
                tokens.Add(token);
            }
            tokens.Add(-starts.Count);
        }
        if (starts.Count == 0)
        {
            throw new ArgumentException("A corpus needs at least one document.");
        }
        return new TokenCorpus(tokens.ToArray(), starts.ToArray());
    }

    /// <summary>Rebuilds a corpus from its stored stream and document starts (as <see cref="SuffixArray"/> files hold them).</summary>
    public static TokenCorpus FromStream(int[] tokens, int[] starts) => new(tokens, starts);

    /// <summary>The document holding stream position <paramref name="position"/>.</summary>
    public int DocumentAt(int position)
    {
        var index = Array.BinarySearch(Starts, position);
        return index >= 0 ? index : ~index - 1;
    }
}
