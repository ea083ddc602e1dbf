namespace OpenLedger.Model.Serving;

/// <summary>
/// A piece of a streamed completion. The last chunk of a stream carries <see cref="FinishReason"/> (stop, length)
/// and the final token counts; earlier ones carry null.
/// </summary>
public sealed record GenerationChunk(string Text, string? FinishReason, int PromptTokens, int CompletionTokens);
