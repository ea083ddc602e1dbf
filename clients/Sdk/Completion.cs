namespace OpenLedger.Client;

/// <summary>A whole completion: its text, why it ended (stop or length), and the prompt and completion token counts.</summary>
public sealed record Completion(string Text, string? FinishReason, int PromptTokens, int CompletionTokens)
{
    /// <summary>Prompt and completion tokens together.</summary>
    public int TotalTokens => PromptTokens + CompletionTokens;
}
