namespace OpenLedger.Client.OpenAi;

/// <summary>
/// A piece of a completion or chat reply (a non-streamed request answers with one piece holding the whole text). The
/// last piece carries <see cref="FinishReason"/> (stop or length); <see cref="Usage"/> comes with the last piece.
/// </summary>
public sealed record OpenAiCompletionChunk(string Text, string? FinishReason, OpenAiUsage? Usage);
