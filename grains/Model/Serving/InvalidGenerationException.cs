namespace OpenLedger.Model.Serving;

/// <summary>
/// A generation request that can never run as given. <see cref="Parameter"/> names the offending field as the
/// OpenAI API spells it and <see cref="Code"/> says what is wrong with it, so HTTP callers get OpenAI's error shape.
/// </summary>
public sealed class InvalidGenerationException(string parameter, string code, string message) : ArgumentException(message)
{
    /// <summary>The field at fault (max_tokens, temperature, top_p, stop, prompt).</summary>
    public string Parameter { get; } = parameter;

    /// <summary>invalid_value, or context_length_exceeded.</summary>
    public string Code { get; } = code;
}
