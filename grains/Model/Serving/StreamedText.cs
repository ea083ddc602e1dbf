namespace OpenLedger.Model.Serving;

/// <summary>
/// The rules for turning a growing generation into streamed text: where a stop sequence cuts it, and how much of it
/// is safe to send before the next token (a tail that could still become a stop sequence, or a half-decoded
/// character, waits).
/// </summary>
public static class StreamedText
{
    /// <summary>Where the earliest stop sequence starts in <paramref name="text"/>, or -1.</summary>
    public static int StopIndex(string text, IReadOnlyList<string>? stops) =>
        (stops ?? []).Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();

    /// <summary>How many characters of <paramref name="text"/> may be sent now (all of it once generation has finished).</summary>
    public static int ReadyLength(string text, IReadOnlyList<string>? stops, bool finished)
    {
        if (finished)
        {
            return text.Length;
        }
        if (text.EndsWith('\uFFFD'))
        {
            return 0; // Wait for the rest of a multi-token character.
        }
        var holdBack = Math.Max(0, (stops ?? []).DefaultIfEmpty("").Max(s => s.Length) - 1);
        return Math.Max(0, text.Length - holdBack);
    }
}
