namespace OpenLedger.Model.Serving;

/// <summary>
/// How to pick each next token: temperature 0 is greedy; otherwise softmax(logits / temperature) restricted to the
/// smallest set of tokens whose probability reaches <see cref="TopP"/>, drawn with a generator seeded by
/// <see cref="Seed"/>. Generation stops after <see cref="MaxTokens"/>, at the end-of-text token, or when the text
/// ends with one of <see cref="Stop"/> (which is then cut off).
/// </summary>
public sealed record SamplingParameters(int MaxTokens = 64, double Temperature = 0, double TopP = 1, long Seed = 0, IReadOnlyList<string>? Stop = null)
{
    /// <summary>Throws <see cref="InvalidGenerationException"/> naming the first bad value, with its allowed range.</summary>
    public void Validate(int contextLength, int promptTokens)
    {
        if (MaxTokens < 1)
        {
            throw new InvalidGenerationException("max_tokens", "invalid_value", $"max_tokens {MaxTokens} must be at least 1.");
        }
        if (double.IsNaN(Temperature) || Temperature < 0 || Temperature > 2)
        {
            throw new InvalidGenerationException("temperature", "invalid_value", $"temperature {Temperature} must be between 0 and 2.");
        }
        if (double.IsNaN(TopP) || TopP <= 0 || TopP > 1)
        {
            throw new InvalidGenerationException("top_p", "invalid_value", $"top_p {TopP} must be in (0, 1].");
        }
        if (Stop is { } stop && (stop.Count > 4 || stop.Any(string.IsNullOrEmpty)))
        {
            throw new InvalidGenerationException("stop", "invalid_value", "stop takes at most 4 non-empty sequences.");
        }
        if (promptTokens < 1)
        {
            throw new InvalidGenerationException("prompt", "invalid_value", "The prompt is empty.");
        }
        // In long: max_tokens near int.MaxValue would wrap the sum negative and let generation run past the context.
        if ((long)promptTokens + MaxTokens > contextLength)
        {
            throw new InvalidGenerationException(promptTokens >= contextLength ? "prompt" : "max_tokens", "context_length_exceeded",
                $"The prompt ({promptTokens} tokens) plus max_tokens ({MaxTokens}) exceeds the model's context of {contextLength} tokens; shorten the prompt or lower max_tokens.");
        }
    }
}
