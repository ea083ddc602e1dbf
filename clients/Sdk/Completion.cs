using OpenLedger.Attribution;

namespace OpenLedger.Client;

/// <summary>
/// A whole completion: its text, why it ended (stop or length), the prompt and completion token counts, the inference id
/// its attribution is recorded under (null for a base model's answer, which is not attributed) and, when the request
/// asked for it synchronously (<see cref="Serving.CompletionRequest.AttributeSync"/>), the attribution itself.
/// </summary>
public sealed record Completion(string Text, string? FinishReason, int PromptTokens, int CompletionTokens,
    string? InferenceId = null, AttributionRecord? Attribution = null)
{
    /// <summary>Prompt and completion tokens together.</summary>
    public int TotalTokens => PromptTokens + CompletionTokens;
}
