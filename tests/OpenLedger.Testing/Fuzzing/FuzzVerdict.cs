namespace OpenLedger.Testing.Fuzzing;

/// <summary>What a parser did with one input: took it, or refused it with an error of a kind it documents.</summary>
/// <param name="Accepted">True when the input was taken.</param>
/// <param name="Kind">The refusal's kind (an exception type or an HTTP status and code); null when accepted.</param>
/// <param name="Message">The refusal's message, which must say what was wrong; null when accepted.</param>
public sealed record FuzzVerdict(bool Accepted, string? Kind, string? Message)
{
    /// <summary>The input was taken.</summary>
    public static FuzzVerdict Accept { get; } = new(true, null, null);

    /// <summary>The input was refused as the parser documents.</summary>
    public static FuzzVerdict Refuse(string kind, string? message) => new(false, kind, message);
}

/// <summary>A parser's answer that is a bug: an undocumented exception, a hang, or a refusal that says nothing.</summary>
public sealed class FuzzDefectException(string message) : Exception(message);
