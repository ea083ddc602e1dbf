namespace OpenLedger.Client.OpenAi;

/// <summary>The tokens a request read and wrote, as the API reports them with its last chunk.</summary>
public sealed record OpenAiUsage(int PromptTokens, int CompletionTokens, int TotalTokens);
