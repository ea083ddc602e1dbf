using OpenLedger.Attribution;

namespace OpenLedger.Client;

/// <summary>A stretch of an answer: plain text (<see cref="Span"/> null), or text of the verbatim span with that index.</summary>
public sealed record TextSegment(string Text, int? Span);

/// <summary>An answer cut at the verbatim spans attribution found in it, so a viewer can mark them.</summary>
public static class AttributedText
{
    /// <summary>
    /// <paramref name="output"/> as consecutive segments that join back to it exactly, each either plain or inside one of
    /// <paramref name="spans"/> (by index). A span is placed at its offsets when the text there is the span's text;
    /// otherwise at the occurrence of its text nearest those offsets, or at the offsets alone when they fit the output.
    /// Where spans overlap, the overlap belongs to the one that starts first; spans that fit nowhere are left out.
    /// </summary>
    public static IReadOnlyList<TextSegment> Segments(string output, IReadOnlyList<AttributedSpan> spans)
    {
        var placed = spans
            .Select((span, index) => (Range: Place(output, span), Index: index))
            .Where(p => p.Range is not null)
            .Select(p => (Start: p.Range!.Value.Start, End: p.Range.Value.End, p.Index))
            .OrderBy(p => p.Start).ThenByDescending(p => p.End).ThenBy(p => p.Index)
            .ToList();
        var segments = new List<TextSegment>();
        var at = 0;
        foreach (var (start, end, index) in placed)
        {
            if (end <= at)
            {
                continue;   // wholly inside a span already marked
            }
            var from = Math.Max(start, at);
            if (from > at)
            {
                segments.Add(new TextSegment(output[at..from], null));
            }
            segments.Add(new TextSegment(output[from..end], index));
            at = end;
        }
        if (at < output.Length)
        {
            segments.Add(new TextSegment(output[at..], null));
        }
        return segments;
    }

    // Offsets come from decoding token prefixes, which can drift from the text by a character (a tokenizer's leading
    // space, say); the span's own text is the better guide when they disagree.
    private static (int Start, int End)? Place(string output, AttributedSpan span)
    {
        var fits = span.Start >= 0 && span.Start < span.End && span.End <= output.Length;
        if (fits && (span.Text.Length == 0 || output.AsSpan(span.Start, span.End - span.Start).SequenceEqual(span.Text)))
        {
            return (span.Start, span.End);
        }
        if (span.Text.Length > 0)
        {
            int? best = null;
            for (var at = output.IndexOf(span.Text, StringComparison.Ordinal); at >= 0; at = output.IndexOf(span.Text, at + 1, StringComparison.Ordinal))
            {
                if (best is null || Math.Abs(at - span.Start) < Math.Abs(best.Value - span.Start))
                {
                    best = at;
                }
            }
            if (best is { } found)
            {
                return (found, found + span.Text.Length);
            }
        }
        return fits ? (span.Start, span.End) : null;
    }
}
